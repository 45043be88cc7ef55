import BatchEvaluationRunner
import EvalGatewayCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The runner against real stores: the lifecycle to a terminal state, the eval runs it writes, stops,
/// and taking over a crashed runner's job.
@Suite struct BatchEvaluationRunnerTests {
    static let base = "/evaluations/batch-evaluate"

    /// Three scorable sessions and one with nothing to score, two evaluators and one without a local
    /// implementation.
    static let scoredBody = """
        {"batchEvaluationName":"scored",
         "evaluators":[{"evaluatorId":"Builtin.ToolSelectionAccuracy"},{"evaluatorId":"Builtin.Correctness"},{"evaluatorId":"Builtin.Helpfulness"}],
         "dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["svc"],"logGroupNames":["lg"],"filterConfig":{"sessionIds":["bare"]}}},
         "evaluationMetadata":{"sessionMetadata":[
           {"sessionId":"perfect","metadata":{"actualToolNames":"[\\"search\\",\\"book\\"]","actualResponse":"Booked flight LH123."},
            "groundTruth":{"inline":{"expectedTrajectory":{"toolNames":["search","book"]},"turns":[{"input":{"prompt":"Book"},"expectedResponse":{"text":"Booked flight LH123"}}]}}},
           {"sessionId":"half","metadata":{"actualToolNames":"search, cancel"},
            "groundTruth":{"inline":{"expectedTrajectory":{"toolNames":["search","book"]}}}},
           {"sessionId":"wrong","metadata":{"actualResponse":"I cannot help"},
            "groundTruth":{"inline":{"turns":[{"expectedResponse":{"text":"Booked flight LH123"}}]}}}
         ]}}
        """

    @Test(arguments: Backend.available)
    func jobRunsToCompletionAndWritesEvalRuns(_ backend: Backend) async throws {
        let gateway = try await BatchTestGateway.make(backend, runner: fastRunner())
        try await gateway.test { client in
            let started = try await client.send(.post, Self.base, json: Self.scoredBody)
            #expect(started.status == .accepted)
            let id = try #require(started.object["batchEvaluationId"] as? String)
            let done = try await client.waitForStatus(id, "COMPLETED")
            #expect(done["status"] as? String == "COMPLETED", "\(done)")
            let results = try #require(done["evaluationResults"] as? [String: Any])
            #expect(results["totalNumberOfSessions"] as? Int == 4)
            #expect(results["numberOfSessionsCompleted"] as? Int == 3)
            #expect(results["numberOfSessionsIgnored"] as? Int == 1)
            #expect(results["numberOfSessionsFailed"] as? Int == 0)
            #expect(results["numberOfSessionsInProgress"] as? Int == 0)
            let summaries = try #require(results["evaluatorSummaries"] as? [[String: Any]])
            #expect(summaries.count == 3)
            // Tool selection: perfect (1.0) and half (0.5).
            #expect(summaries[0]["totalEvaluated"] as? Int == 2)
            #expect((summaries[0]["statistics"] as? [String: Any])?["averageScore"] as? Double == 0.75)
            // Correctness: perfect (1.0) and wrong (0.0).
            #expect(summaries[1]["totalEvaluated"] as? Int == 2)
            #expect((summaries[1]["statistics"] as? [String: Any])?["averageScore"] as? Double == 0.5)
            // Helpfulness has no local implementation: nothing scored, no invented average.
            #expect(summaries[2]["totalEvaluated"] as? Int == 0)
            #expect((summaries[2]["statistics"] as? [String: Any])?["averageScore"] == nil)

            // One eval run per (session, evaluator), linked to the job, in the job's table.
            let runs = try await gateway.database.store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(limit: 100))
            #expect(runs.totalCount == 12)
            let data = try runs.runs.map { try $0.evalData.parsed() }
            #expect(data.allSatisfy { $0["batch_evaluation_id"] == .string(id) })
            let scored = data.filter { $0["status"] == .string("SCORED") }
            #expect(scored.count == 4)
            #expect(data.filter { $0["status"] == .string("IGNORED") }.count == 8)
            #expect(zip(runs.runs, data).contains { $0.evalType == .reliability && $1["session_id"] == .string("half") && $1["score"] == .number(0.5) })

            // Deleting the job leaves its eval runs.
            #expect(try await client.send(.delete, "\(Self.base)/\(id)").status == .accepted)
            #expect(try await gateway.database.store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(limit: 100)).totalCount == 12)
        }
    }

    @Test(arguments: Backend.available)
    func aRunningJobStopsBetweenSessions(_ backend: Backend) async throws {
        let gateway = try await BatchTestGateway.make(backend, runner: fastRunner(sessionDelay: .milliseconds(300)))
        try await gateway.test { client in
            let id = try await client.startJob("slow", sessions: 50)
            let running = try await client.waitForStatus(id, "IN_PROGRESS")
            #expect(running["status"] as? String == "IN_PROGRESS")
            let conflict = try await client.send(.delete, "\(Self.base)/\(id)")
            #expect(conflict.status == .conflict)
            #expect(try await client.send(.post, "\(Self.base)/\(id)/stop").status == .accepted)
            let stopped = try await client.waitForStatus(id, "STOPPED", timeout: .seconds(10))
            #expect(stopped["status"] as? String == "STOPPED")
            // The runner sees a stop between two sessions: the job ends with most of its 50 sessions (15 s
            // of work) not done. How soon after the stop it ends is measured by the benchmark, not here.
            let completed = (stopped["evaluationResults"] as? [String: Any])?["numberOfSessionsIgnored"] as? Int ?? -1
            #expect(completed >= 0 && completed < 40, "\(completed) sessions were done")
            #expect(try await client.send(.delete, "\(Self.base)/\(id)").status == .accepted)
            #expect(try await client.send(.get, "\(Self.base)/\(id)").status == .notFound)
        }
    }

    @Test(arguments: Backend.available)
    func minimumDurationKeepsAJobObservable(_ backend: Backend) async throws {
        let gateway = try await BatchTestGateway.make(backend, runner: fastRunner(minimum: .seconds(1)))
        try await gateway.test { client in
            let clock = ContinuousClock()
            let start = clock.now
            let id = try await client.startJob("minimum", sessions: 1)
            let done = try await client.waitForStatus(id, "COMPLETED")
            #expect(done["status"] as? String == "COMPLETED")
            #expect(clock.now - start >= .milliseconds(900))
        }
    }

    @Test(arguments: Backend.available)
    func jobWithoutSessionsFails(_ backend: Backend) async throws {
        let gateway = try await BatchTestGateway.make(backend, runner: fastRunner())
        try await gateway.test { client in
            let id = try await client.startJob("empty", sessions: 0)
            let done = try await client.waitForStatus(id, "FAILED")
            #expect(done["status"] as? String == "FAILED")
            #expect((done["errorDetails"] as? [String])?.first?.contains("No sessions") == true)
        }
    }

    /// A runner that dies mid-job leaves it IN_PROGRESS with a lease; while the lease holds nobody else
    /// takes the job, and once it has run out another runner takes it over, resumes after the sessions
    /// already done, and finishes it. (The lease runs out by its time being written into the past, as a
    /// clock moving on would: the test waits for no wall-clock time.)
    @Test(arguments: Backend.available)
    func crashedRunnersJobIsResumed(_ backend: Backend) async throws {
        let gateway = try await BatchTestGateway.make(backend)
        let store = try #require(gateway.database.batchEvaluations)
        let id = try await gateway.test { client in try await client.startJob("crash", sessions: 4) }
        // "Crashed" runner: claims, does one session's bookkeeping, then vanishes.
        let now = Timestamp.nowMilliseconds()
        let claimed = try #require(try await store.claimBatchEvaluation(owner: "dead", leaseExpiresAt: now + 600_000, at: now))
        #expect(claimed.id == id)
        var results = claimed.results
        results.sessionsProcessed = 1
        results.numberOfSessionsIgnored = 1
        _ = try await store.updateBatchEvaluation(id: id, owner: "dead", BatchEvaluationUpdate(results: results, leaseExpiresAt: now + 600_000), at: now)

        let successor = BatchEvaluationRunner(catalog: gateway.services.catalog, configuration: fastRunner(owner: "successor"), logger: Logger(label: "runner"))
        #expect(await successor.runNextJob() == false) // the lease still holds
        #expect(try await store.batchEvaluation(id: id)?.results.sessionsProcessed == 1)
        // The dead runner's lease runs out.
        _ = try await store.updateBatchEvaluation(id: id, owner: "dead", BatchEvaluationUpdate(results: results, leaseExpiresAt: Timestamp.nowMilliseconds() - 1), at: Timestamp.nowMilliseconds())
        #expect(await successor.runNextJob())
        let job = try #require(try await store.batchEvaluation(id: id))
        #expect(job.status == .completed)
        #expect(job.results.numberOfSessionsIgnored == 4)
        #expect(job.results.sessionsProcessed == 4)
        // The successor wrote the runs of sessions 1…3 only (session 0 was the dead runner's).
        let runs = try await gateway.database.store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(limit: 100))
        #expect(runs.totalCount == 3)
    }

    @Test func builtInEvaluatorsScoreOnlyWhatASessionCarries() async throws {
        let registry = SessionEvaluatorRegistry.builtIn
        let session = BatchEvaluationSession(
            sessionID: "s",
            groundTruth: .object(["inline": .object([
                "assertions": .array([.object(["text": .string("The flight was booked")]), .object(["text": .string("A refund was issued")])]),
                "expectedTrajectory": .object(["toolNames": .array([.string("search"), .string("book")])]),
            ])]),
            metadata: ["actualToolNames": "book,search", "actualResponse": "Your flight is booked."]
        )
        let exact = try await registry.evaluator(id: "Builtin.TrajectoryExactOrderMatch")!.evaluate(session)
        let anyOrder = try await registry.evaluator(id: "Builtin.TrajectoryAnyOrderMatch")!.evaluate(session)
        let goal = try await registry.evaluator(id: "Builtin.GoalSuccessRate")!.evaluate(session)
        let correctness = try await registry.evaluator(id: "Builtin.Correctness")!.evaluate(session)
        guard case .scored(let exactScore, _, _, _) = exact, case .scored(let anyScore, _, _, _) = anyOrder,
              case .scored(let goalScore, let goalPassed, _, _) = goal
        else { Issue.record("expected scores: \(exact) \(anyOrder) \(goal)"); return }
        #expect(exactScore == 0)
        #expect(anyScore == 1)
        #expect(goalScore == 0.5)
        #expect(!goalPassed)
        guard case .ignored = correctness else { Issue.record("no expected response: must be ignored"); return }
        let bare = try await registry.evaluator(id: "Builtin.ToolSelectionAccuracy")!.evaluate(BatchEvaluationSession(sessionID: "bare"))
        guard case .ignored = bare else { Issue.record("a bare session must be ignored"); return }
    }
}
