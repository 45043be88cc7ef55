import BatchEvaluationRunner
import EvalGatewayCore
import Logging
import PostgresAdapter
import Testing

/// Several gateways over one PostgreSQL schema: each has its own store and pool, as separate processes
/// would, and every job is still run by exactly one of them.
@Suite(.enabled(if: Backend.available.contains(.postgres), "needs EVALGW_TEST_POSTGRES_URL"))
struct SharedPostgresJobsTests {
    /// 16 connections from two stores claim concurrently: each job is handed out once.
    @Test func concurrentClaimsFromTwoGatewaysNeverShareAJob() async throws {
        let schema = PostgresTestServer.uniqueSchema()
        let first = try await PostgresTestServer.store(schema: schema, tables: ["agno_eval_runs"])
        let second = try await PostgresTestServer.store(schema: schema, tables: ["agno_eval_runs"])
        let jobs = try #require(first.batchEvaluations)
        var created: Set<String> = []
        for index in 0..<40 {
            let job = makeJob(name: "shared\(index)", createdAt: 1_000 + Int64(index))
            _ = try await jobs.createBatchEvaluation(job)
            created.insert(job.id)
        }
        let stores = [first.batchEvaluations!, second.batchEvaluations!]
        let now = Timestamp.nowMilliseconds()
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<16 {
                let store = stores[worker % 2]
                group.addTask {
                    var mine: [String] = []
                    while let job = try await store.claimBatchEvaluation(owner: "runner-\(worker)", leaseExpiresAt: now + 60_000, at: now) {
                        #expect(job.status == .inProgress)
                        #expect(job.leaseOwner == "runner-\(worker)")
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == 40, "every job claimed exactly once, not \(claims.count) claims")
        #expect(Set(claims) == created)
        await first.shutdown()
        await second.shutdown()
    }

    /// Two runners, each over its own gateway's store, work one queue to the end: every job completes
    /// with each (session, evaluator) scored once.
    @Test func runnersOnTwoGatewaysCompleteEveryJob() async throws {
        let schema = PostgresTestServer.uniqueSchema()
        let tables = ["agno_eval_runs"]
        let databases = try await [
            PostgresTestServer.store(schema: schema, tables: tables), PostgresTestServer.store(schema: schema, tables: tables),
        ].map { RegisteredDatabase(configuration: DatabaseConfiguration(id: "db", adapter: "postgres", tables: tables), store: $0) }
        let jobs = try #require(databases[0].batchEvaluations)
        var ids: [String] = []
        for index in 0..<8 {
            let job = makeJob(name: "queue\(index)", sessions: 5)
            _ = try await jobs.createBatchEvaluation(job)
            ids.append(job.id)
        }
        let runners = databases.enumerated().map { index, database in
            BatchEvaluationRunner(
                catalog: DatabaseCatalog(databases: [database]),
                configuration: fastRunner(sessionDelay: .milliseconds(5), owner: "gateway-\(index)"),
                logger: Logger(label: "runner")
            )
        }
        let tasks = runners.map { runner in Task { await runner.run() } }
        let deadline = ContinuousClock.now + .seconds(30)
        var finished: [BatchEvaluation] = []
        while ContinuousClock.now < deadline {
            finished = try await ids.asyncCompactMap { try await jobs.batchEvaluation(id: $0) }.filter { $0.status.isTerminal }
            if finished.count == ids.count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        tasks.forEach { $0.cancel() }
        for task in tasks { await task.value }
        #expect(finished.count == ids.count)
        #expect(finished.allSatisfy { $0.status == .completed && $0.results.sessionsProcessed == 5 && $0.leaseOwner == nil })
        for database in databases { await (database.store as? PostgresEvalRunStore)?.shutdown() }
    }
}

extension Array {
    /// The non-nil results of `transform`, in order, one element at a time.
    func asyncCompactMap<T>(_ transform: (Element) async throws -> T?) async rethrows -> [T] {
        var results: [T] = []
        for element in self { if let value = try await transform(element) { results.append(value) } }
        return results
    }
}
