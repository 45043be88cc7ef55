public import EvalGatewayCore
public import Logging
import Synchronization

/// Runs batch-evaluation jobs: claims runnable jobs with a lease (so each job is run by exactly one
/// runner, and a stopped runner's job is taken over when its lease expires), works through their sessions
/// and writes the eval runs. See ``BatchEvaluationJobExecution``.
///
/// Job state lives in the backend: any number of runners (gateway instances) may share the databases.
///
/// The runner does not poll every database on a timer — with thousands of tenants that would keep a core
/// busy while nothing happens. It looks at a database when it is told a job started there
/// (``wake(databaseID:)``: the Start route of this gateway, or an announcement from another gateway of
/// the fleet), keeps looking at it while it has unfinished jobs (to take over a job whose runner stopped),
/// and sweeps the databases in use every ``BatchEvaluationRunnerConfiguration/sweepInterval`` for jobs
/// nothing announced. A database nothing has used since start is looked at when it is first used.
public final class BatchEvaluationRunner: Sendable {
    /// The live catalog whose databases it runs jobs in.
    public let catalog: DatabaseCatalog
    /// The evaluators it can score with.
    public let evaluators: SessionEvaluatorRegistry
    /// Pacing and leases.
    public let configuration: BatchEvaluationRunnerConfiguration
    let logger: Logger
    private let state = Mutex(State())
    private let signal = WakeSignal()

    private struct State {
        /// Databases to look at, and when.
        var watched: [String: ContinuousClock.Instant] = [:]
        /// Databases woken since their last look began: a wake that races a look is not lost.
        var woken: Set<String> = []
        /// Jobs being worked on.
        var running = 0
    }

    /// A runner over the databases of `catalog`; it listens for the jobs the catalog announces.
    public init(
        catalog: DatabaseCatalog,
        evaluators: SessionEvaluatorRegistry = .builtIn,
        configuration: BatchEvaluationRunnerConfiguration = BatchEvaluationRunnerConfiguration(),
        logger: Logger
    ) {
        self.catalog = catalog
        self.evaluators = evaluators
        self.configuration = configuration
        self.logger = logger
        catalog.onJobStarted { [weak self] id in self?.wake(databaseID: id) }
    }

    /// Looks at database `id` now: a job was started there.
    public func wake(databaseID id: String) {
        state.withLock { state in
            state.watched[id] = .now
            state.woken.insert(id)
        }
        signal.signal()
    }

    /// Claims and runs jobs until the task is cancelled; then releases the jobs it holds so another
    /// runner can resume them without waiting for the lease to expire.
    public func run() async {
        logger.info("batch-evaluation runner started", metadata: ["owner": .string(configuration.ownerID)])
        var nextSweep = ContinuousClock.now
        var firstSweep = true
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if now >= nextSweep {
                    sweep(including: firstSweep)
                    firstSweep = false
                    nextSweep = now + configuration.sweepInterval
                }
                if let (database, job) = await claimDue() {
                    state.withLock { $0.running += 1 }
                    group.addTask {
                        await self.execution(of: job, in: database).run()
                        self.state.withLock { state in
                            state.running -= 1
                            state.watched[database.id] = .now
                        }
                        self.signal.signal()
                    }
                    continue
                }
                let nextCheck = state.withLock { state in
                    state.running < configuration.maxConcurrentJobs ? state.watched.values.min() : nil
                }
                await signal.wait(until: min(nextCheck ?? nextSweep, nextSweep))
            }
        }
        logger.info("batch-evaluation runner stopped", metadata: ["owner": .string(configuration.ownerID)])
    }

    /// Claims one runnable job, if any, from any database, and runs it to its end (or until its lease is
    /// lost). Returns whether there was one. For tests and tools that drive the runner step by step.
    @discardableResult
    public func runNextJob() async -> Bool {
        for database in catalog.databases {
            if let job = await claim(in: database) {
                await execution(of: job, in: database).run()
                return true
            }
        }
        return false
    }

    /// Adds the databases in use (and, the first time, the declared ones) to the ones to look at now.
    private func sweep(including declared: Bool) {
        let candidates = catalog.databases.filter { database in
            database.batchEvaluations != nil && ((database.store as? TenantStore)?.hasBeenUsed ?? true || (declared && database.source == .config))
        }
        state.withLock { state in
            for database in candidates where state.watched[database.id] == nil { state.watched[database.id] = .now }
        }
    }

    /// Tries the databases that are due, oldest first, until one yields a job. A database without a
    /// claimable job is looked at again in half a lease while it has unfinished jobs (one held by
    /// another runner may be left behind), and forgotten once it has none.
    private func claimDue() async -> (RegisteredDatabase, BatchEvaluation)? {
        let now = ContinuousClock.now
        let due: [String] = state.withLock { state in
            guard state.running < configuration.maxConcurrentJobs else { return [] }
            let due = state.watched.filter { $0.value <= now }.sorted { $0.value < $1.value }.map(\.key)
            state.woken.subtract(due)
            return due
        }
        for id in due {
            guard let database = catalog.database(id: id), database.batchEvaluations != nil else {
                state.withLock { state in
                    state.watched[id] = nil
                    state.woken.remove(id)
                }
                continue
            }
            if let job = await claim(in: database) {
                state.withLock { $0.watched[id] = .now }
                return (database, job)
            }
            let recheck = await hasUnfinishedJobs(database)
                ? ContinuousClock.now + max(configuration.pollInterval, configuration.leaseDuration / 2)
                : nil
            state.withLock { state in
                state.watched[id] = state.woken.contains(id) ? .now : recheck
            }
        }
        return nil
    }

    private func claim(in database: RegisteredDatabase) async -> BatchEvaluation? {
        guard let store = database.batchEvaluations else { return nil }
        let now = Timestamp.nowMilliseconds()
        do {
            return try await store.claimBatchEvaluation(
                owner: configuration.ownerID,
                leaseExpiresAt: now + configuration.leaseDuration.wholeMilliseconds,
                at: now
            )
        } catch {
            logger.warning("cannot claim batch evaluations", metadata: ["db_id": .string(database.id), "error": .string("\(StorageError(error))")])
            return nil
        }
    }

    /// Whether the database has a job that is not terminal (among its most recent ones).
    private func hasUnfinishedJobs(_ database: RegisteredDatabase) async -> Bool {
        guard let store = database.batchEvaluations else { return false }
        var cursor: BatchEvaluationCursor?
        var scanned = 0
        do {
            repeat {
                let page = try await store.listBatchEvaluations(limit: 100, after: cursor)
                if page.jobs.contains(where: { !$0.status.isTerminal }) { return true }
                scanned += page.jobs.count
                cursor = page.next
            } while cursor != nil && scanned < 10_000
        } catch {
            return true
        }
        return false
    }

    private func execution(of job: BatchEvaluation, in database: RegisteredDatabase) -> BatchEvaluationJobExecution {
        BatchEvaluationJobExecution(job: job, database: database, evaluators: evaluators, configuration: configuration, logger: logger)
    }
}

/// Wakes the runner's loop early: a signal given while the loop is busy is kept for its next wait.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the current wait, or the next one.
    func signal() {
        let (waiter, timer) = state.withLock { state in
            defer {
                state.waiter = nil
                state.timer = nil
            }
            if state.waiter == nil { state.pending = true }
            return (state.waiter, state.timer)
        }
        timer?.cancel()
        waiter?.resume()
    }

    /// Waits until `deadline`, a signal, or cancellation, whichever comes first.
    func wait(until deadline: ContinuousClock.Instant) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    state.timer = Task {
                        try? await Task.sleep(until: deadline)
                        if !Task.isCancelled { self.signal() }
                    }
                    return false
                }
                if immediate { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
