import EvalGatewayCore

/// Batch-evaluation jobs: records, unique names, `clientToken` idempotency, the newest-first listing,
/// stop requests and the conditional delete (terminal jobs only, in one step). Each job check runs only on a store that
/// keeps jobs, and looks only at jobs named with its own random suffix.
enum BatchEvaluationChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("job-create-then-get-round-trips", "A stored job reads back equal, every field included; an unknown id reads as nil.", needsJobStore: true) { context in
            let store = try context.jobStore
            var job = context.makeJob("roundtrip", createdAt: 1_700_000_000_123, clientToken: "token-\(context.suffix)-roundtrip-0123456789abcdef", parametersHash: "9f86d081884c7d65")
            job.description = "Every field: quotes ' \" and unicode ✓ 日本語"
            job.evaluatorIDs = ["Builtin.Helpfulness", "Builtin.Correctness", "custom_eval-a1B2c3D4e5"]
            job.sessions = [
                BatchEvaluationSession(
                    sessionID: "session-1", testScenarioID: "scenario-1",
                    groundTruth: .object(["inline": .object([
                        "assertions": .array([.object(["text": .string("answers politely")])]),
                        "expectedTrajectory": .object(["toolNames": .array([.string("search"), .string("book")])]),
                    ])]),
                    metadata: ["actualResponse": "4", "actualToolNames": "search,book"]
                ),
                BatchEvaluationSession(sessionID: "session-2"),
            ]
            job.dataSourceConfig = .object([
                "cloudWatchLogs": .object([
                    "serviceNames": .array([.string("svc")]), "logGroupNames": .array([.string("/aws/agent")]),
                    "startTime": .integer(1_700_000_000), "ratio": .number(0.25), "enabled": .bool(true), "none": .null,
                ]),
            ])
            var results = BatchEvaluationResults(totalNumberOfSessions: 2, evaluatorIDs: job.evaluatorIDs)
            results.numberOfSessionsIgnored = 1
            results.evaluatorSummaries[0].scoreSum = 0.75
            job.results = results
            job.updatedAt = 1_700_000_000_456
            let creation = try await store.createBatchEvaluation(job)
            await context.createdJobs.record(job.id)
            try expect(creation.created, "the first create reported an existing job")
            try expectEqual(creation.job, job, "the created job")
            try expectEqual(try await store.batchEvaluation(id: job.id), job, "the job read back")
            try expectEqual(try await store.batchEvaluationState(id: job.id), job.state, "the job's state read back")
            let unknown = "cf_\(context.suffix)_absent-aaaaaaaaaa"
            try expect(try await store.batchEvaluation(id: unknown) == nil, "an unknown id returned a job")
            try expect(try await store.batchEvaluationState(id: unknown) == nil, "an unknown id returned a state")
        },
        ConformanceCheck("job-duplicate-name-is-conflict", "Creating a job whose name exists fails with 'conflict' and keeps the original.", needsJobStore: true) { context in
            let store = try context.jobStore
            let original = try await context.create(context.makeJob("dupname", createdAt: Timestamp.nowMilliseconds()))
            var second = context.makeJob("dupname", createdAt: Timestamp.nowMilliseconds())
            second.description = "second"
            try await expectStorageError(.conflict, "the second create with the same name") {
                let creation = try await store.createBatchEvaluation(second)
                await context.createdJobs.record(creation.job.id)
            }
            try expectEqual(try await store.batchEvaluation(id: original.id), original, "the original job")
            try expect(try await store.batchEvaluation(id: second.id) == nil, "the refused job was stored")
        },
        ConformanceCheck(
            "job-client-token-is-idempotent",
            "The same clientToken with the same parameters returns the first job (created=false); with other parameters it fails with idempotentParameterMismatch.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let token = "token-\(context.suffix)-idempotent-0123456789abcdef"
            let first = try await context.create(context.makeJob("idem", createdAt: Timestamp.nowMilliseconds(), clientToken: token, parametersHash: "hash-A"))
            // A retry: a new id and time, as the gateway would mint them, but the same token and parameters.
            let retry = context.makeJob("idem", createdAt: Timestamp.nowMilliseconds() + 1, clientToken: token, parametersHash: "hash-A")
            let again = try await store.createBatchEvaluation(retry)
            try expect(!again.created, "the retry with the same token and parameters created a new job")
            try expectEqual(again.job, first, "the job the retry returned")
            try expect(try await store.batchEvaluation(id: retry.id) == nil, "the retry stored a second job")
            let other = context.makeJob("idem_other", createdAt: Timestamp.nowMilliseconds() + 2, clientToken: token, parametersHash: "hash-B")
            try await expectParameterMismatch("the same token with other parameters") {
                let creation = try await store.createBatchEvaluation(other)
                await context.createdJobs.record(creation.job.id)
            }
            try expect(try await store.batchEvaluation(id: other.id) == nil, "the mismatched request stored a job")
            try expectEqual(try await store.batchEvaluation(id: first.id), first, "the first job")
        },
        ConformanceCheck(
            "job-list-is-newest-first-with-cursor",
            "Pages of 3 list every job once, by createdAt then id descending (ties broken by id); the last page has no cursor.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            // Seven jobs, two per millisecond, created out of order: the id breaks each tie.
            let base = Timestamp.nowMilliseconds()
            var ours: [BatchEvaluation] = []
            for index in [3, 0, 6, 1, 5, 2, 4] {
                ours.append(try await context.create(context.makeJob("list\(index)", createdAt: base + Int64(index / 2))))
            }
            let expected = ours.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            var seen: [BatchEvaluation] = []
            var cursor: BatchEvaluationCursor?
            repeat {
                let page = try await store.listBatchEvaluations(limit: 3, after: cursor)
                try expect(page.jobs.count <= 3, "a page of limit 3 has \(page.jobs.count) jobs")
                try expect(page.next == nil || !page.jobs.isEmpty, "an empty page has a next cursor")
                seen += page.jobs
                cursor = page.next
                try expect(seen.count <= 100_000, "the listing does not end (over 100,000 jobs)")
            } while cursor != nil
            for (earlier, later) in zip(seen, seen.dropFirst()) where (earlier.createdAt, earlier.id) <= (later.createdAt, later.id) {
                throw ConformanceFailure(description: "\(later.id) (createdAt \(later.createdAt)) is listed after \(earlier.id) (createdAt \(earlier.createdAt)): not newest first, or listed twice")
            }
            let ourIDs = Set(ours.map(\.id))
            try expectEqual(seen.filter { ourIDs.contains($0.id) }.map(\.id), expected.map(\.id), "this check's jobs, in list order")
            try expectEqual(seen.filter { ourIDs.contains($0.id) }, expected, "this check's jobs as listed")
            let whole = try await store.listBatchEvaluations(limit: seen.count, after: nil)
            try expectEqual(whole.jobs.map(\.id), seen.map(\.id), "one page of exactly every job")
            try expect(whole.next == nil, "a page holding every job has a next cursor")
        },
        ConformanceCheck(
            "job-stop-moves-running-jobs-to-stopping",
            "Stop moves PENDING and IN_PROGRESS jobs to STOPPING and leaves STOPPING as it is; a terminal job is 'conflict', an unknown id 'not found'.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let runner = context.owner("runner")
            // Jobs a runner claims are older than the rest: a claim takes the oldest runnable job.
            let now = Timestamp.nowMilliseconds()
            let running = try await context.create(context.makeJob("stop_running", createdAt: now - 60_000))
            let claimed = try await context.claim(running.id, owner: runner, leaseExpiresAt: ConformanceContext.heldLease())
            let stoppedRunning = try await store.stopBatchEvaluation(id: running.id, at: Timestamp.nowMilliseconds())
            try expectEqual(stoppedRunning.status, .stopping, "the status after stopping an IN_PROGRESS job")
            try expectEqual(stoppedRunning.leaseOwner, runner, "the runner still holds the stopping job")
            try expectEqual(stoppedRunning.leaseExpiresAt, claimed.leaseExpiresAt, "the lease of the stopping job")

            let finished = try await context.create(context.makeJob("stop_finished", createdAt: now - 30_000))
            try expectEqual(try await context.finish(finished.id, as: .completed, owner: runner).status, .completed, "the finished job's status")
            try await expectStorageError(.conflict, "stop of a COMPLETED job") {
                _ = try await store.stopBatchEvaluation(id: finished.id, at: Timestamp.nowMilliseconds())
            }
            try expectEqual(try await context.storedJob(finished.id).status, .completed, "the status after the refused stop")

            let pending = try await context.create(context.makeJob("stop_pending", createdAt: now))
            let stopAt = Timestamp.nowMilliseconds() + 5
            let stopped = try await store.stopBatchEvaluation(id: pending.id, at: stopAt)
            var expected = pending
            expected.status = .stopping
            expected.updatedAt = stopAt
            try expectEqual(stopped, expected, "the job a stop of a PENDING job returns")
            try expectEqual(try await store.batchEvaluation(id: pending.id), expected, "the stopped job read back")
            let again = try await store.stopBatchEvaluation(id: pending.id, at: stopAt + 10)
            try expectEqual(again, expected, "a second stop (STOPPING stays STOPPING, updatedAt kept)")

            try await expectStorageError(.notFound, "stop of an unknown id") {
                _ = try await store.stopBatchEvaluation(id: "cf_\(context.suffix)_absent-aaaaaaaaaa", at: Timestamp.nowMilliseconds())
            }
        },
        ConformanceCheck(
            "job-delete-only-when-terminal",
            "Delete refuses PENDING, IN_PROGRESS and STOPPING jobs with 'conflict' and keeps them; it removes a terminal job, reporting id, ARN and status; an unknown id is 'not found'.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let runner = context.owner("runner")
            // Jobs a runner claims are older than the rest: a claim takes the oldest runnable job.
            let now = Timestamp.nowMilliseconds()
            let terminal: [BatchEvaluationStatus] = [.completed, .completedWithErrors, .failed, .stopped]
            var finished: [(job: BatchEvaluation, status: BatchEvaluationStatus)] = []
            for (index, status) in terminal.enumerated() {
                let job = try await context.create(context.makeJob("del_\(status.rawValue.lowercased())", createdAt: now - 60_000 + Int64(index)))
                if status == .stopped { _ = try await store.stopBatchEvaluation(id: job.id, at: Timestamp.nowMilliseconds()) }
                // A STOPPING job finishes as STOPPED, whatever the runner asks.
                let state = try await context.finish(job.id, as: status == .stopped ? .completed : status, owner: runner)
                try expectEqual(state.status, status, "the finished job's status")
                finished.append((job, status))
            }
            let running = try await context.create(context.makeJob("del_running", createdAt: now - 30_000))
            _ = try await context.claim(running.id, owner: runner, leaseExpiresAt: ConformanceContext.heldLease())
            let pending = try await context.create(context.makeJob("del_pending", createdAt: now))
            let stopping = try await context.create(context.makeJob("del_stopping", createdAt: now))
            _ = try await store.stopBatchEvaluation(id: stopping.id, at: Timestamp.nowMilliseconds())
            for (job, status) in [(pending, BatchEvaluationStatus.pending), (running, .inProgress), (stopping, .stopping)] {
                let before = try await context.storedJob(job.id)
                try expectEqual(before.status, status, "the status of \(job.name)")
                try await expectStorageError(.conflict, "delete of a \(status.rawValue) job") {
                    _ = try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
                }
                try expectEqual(try await store.batchEvaluation(id: job.id), before, "the \(status.rawValue) job after the refused delete")
            }

            for (job, status) in finished {
                let deletion = try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
                try expectEqual(deletion, BatchEvaluationDeletion(id: job.id, arn: job.arn, status: status), "the deletion of a \(status.rawValue) job")
                try expect(try await store.batchEvaluation(id: job.id) == nil, "the deleted \(status.rawValue) job is still there")
                try expect(try await store.batchEvaluationState(id: job.id) == nil, "the deleted \(status.rawValue) job still has a state")
                try await expectStorageError(.notFound, "a second delete of the \(status.rawValue) job") {
                    _ = try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
                }
                try await expectStorageError(.notFound, "stop of the deleted \(status.rawValue) job") {
                    _ = try await store.stopBatchEvaluation(id: job.id, at: Timestamp.nowMilliseconds())
                }
            }
            // The name of a deleted job is free again.
            try await context.create(context.makeJob("del_completed", createdAt: Timestamp.nowMilliseconds()))
            try await expectStorageError(.notFound, "delete of an unknown id") {
                let absent = "cf_\(context.suffix)_absent-aaaaaaaaaa"
                _ = try await store.deleteBatchEvaluation(id: absent, audit: .forTests(ids: [absent], kind: .batchEvaluation))
            }
        },
    ]
}
