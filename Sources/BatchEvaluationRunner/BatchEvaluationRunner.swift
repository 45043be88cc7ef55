public import EvalGatewayCore
public import Logging
import Synchronization

/// Runs batch-evaluation jobs: claims runnable jobs from every database that keeps them (with a lease,
/// so each job is run by exactly one runner, and a crashed runner's job is taken over when its lease
/// expires), works through their sessions and writes the eval runs. See ``BatchEvaluationJobExecution``.
///
/// Job state lives in the backend: any number of runners (gateway instances) may share the databases.
public struct BatchEvaluationRunner: Sendable {
    /// The databases whose jobs it runs.
    public let databases: [RegisteredDatabase]
    /// The evaluators it can score with.
    public let evaluators: SessionEvaluatorRegistry
    /// Pacing and leases.
    public let configuration: BatchEvaluationRunnerConfiguration
    let logger: Logger

    /// A runner over the databases of `catalog` that keep jobs.
    public init(
        catalog: DatabaseCatalog,
        evaluators: SessionEvaluatorRegistry = .builtIn,
        configuration: BatchEvaluationRunnerConfiguration = BatchEvaluationRunnerConfiguration(),
        logger: Logger
    ) {
        self.databases = catalog.databases.filter { $0.batchEvaluations != nil }
        self.evaluators = evaluators
        self.configuration = configuration
        self.logger = logger
    }

    /// Claims and runs jobs until the task is cancelled; then releases the jobs it holds so another
    /// runner can resume them without waiting for the lease to expire.
    public func run() async {
        guard !databases.isEmpty else { return }
        logger.info("batch-evaluation runner started", metadata: ["owner": .string(configuration.ownerID), "databases": .stringConvertible(databases.count)])
        let running = RunningJobCount()
        var next = 0
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                if running.value < configuration.maxConcurrentJobs, let claimed = await claim(startingAt: next) {
                    let (database, job) = claimed
                    next = (databases.firstIndex { $0.id == database.id } ?? 0) + 1
                    running.add(1)
                    group.addTask {
                        await execution(of: job, in: database).run()
                        running.add(-1)
                    }
                    continue
                }
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
        logger.info("batch-evaluation runner stopped", metadata: ["owner": .string(configuration.ownerID)])
    }

    /// Claims one runnable job, if any, and runs it to its end (or until its lease is lost). Returns
    /// whether there was one. For tests and tools that drive the runner step by step.
    @discardableResult
    public func runNextJob() async -> Bool {
        guard let claimed = await claim(startingAt: 0) else { return false }
        await execution(of: claimed.1, in: claimed.0).run()
        return true
    }

    /// The first claimable job, trying the databases round-robin from `start`.
    private func claim(startingAt start: Int) async -> (RegisteredDatabase, BatchEvaluation)? {
        for offset in 0..<databases.count {
            let database = databases[(start + offset) % databases.count]
            guard let store = database.batchEvaluations else { continue }
            let now = Timestamp.nowMilliseconds()
            do {
                if let job = try await store.claimBatchEvaluation(
                    owner: configuration.ownerID,
                    leaseExpiresAt: now + configuration.leaseDuration.wholeMilliseconds,
                    at: now
                ) {
                    return (database, job)
                }
            } catch {
                logger.warning("cannot claim batch evaluations", metadata: ["db_id": .string(database.id), "error": .string("\(StorageError(error))")])
            }
        }
        return nil
    }

    private func execution(of job: BatchEvaluation, in database: RegisteredDatabase) -> BatchEvaluationJobExecution {
        BatchEvaluationJobExecution(job: job, database: database, evaluators: evaluators, configuration: configuration, logger: logger)
    }
}

/// The number of jobs a runner is working on, shared with the job tasks.
private final class RunningJobCount: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func add(_ delta: Int) { count.withLock { $0 += delta } }
}
