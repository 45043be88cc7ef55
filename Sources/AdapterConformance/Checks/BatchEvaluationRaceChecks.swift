import EvalGatewayCore

/// Batch-evaluation jobs under concurrency: a delete never removes a job that is not terminal, however
/// it races stops and runner updates. What this catches is a delete that does not check the
/// state, and a stop or finish that is not atomic; a check-then-delete store would still pass, because a
/// terminal job never changes state again — that atomicity is each adapter's own (one statement).
enum BatchEvaluationRaceChecks {
    /// The number of jobs raced over.
    static let jobCount = 40
    /// How many times each job is deleted, stopped and finished concurrently.
    static let rounds = 6

    static let all: [ConformanceCheck] = [
        ConformanceCheck(
            "job-delete-races-never-remove-running-jobs",
            "\(jobCount * rounds * 3) concurrent deletes, stops and runner finishes over \(jobCount) jobs: every delete that succeeds removed a terminal job, once, and every other job is still there.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let runner = context.owner("runner")
            let base = Timestamp.nowMilliseconds() - 600_000
            var jobs: [BatchEvaluation] = []
            for index in 0..<jobCount {
                jobs.append(try await context.create(context.makeJob("race\(index)", createdAt: base + Int64(index))))
            }
            // Half are held by a runner (IN_PROGRESS), half stay PENDING.
            var held: Set<String> = []
            let lease = ConformanceContext.heldLease()
            for _ in 0..<(jobCount / 2) {
                guard let claimed = try await context.claim(oneOf: Set(jobs.map(\.id)).subtracting(held), owner: runner, leaseExpiresAt: lease) else { break }
                held.insert(claimed.id)
            }
            try expectEqual(held.count, jobCount / 2, "jobs the runner claimed")

            let ids = jobs.map(\.id)
            let deletions = try await withThrowingTaskGroup(of: BatchEvaluationDeletion?.self) { group in
                for _ in 0..<rounds {
                    for id in ids.shuffled() {
                        group.addTask {
                            do {
                                return try await store.deleteBatchEvaluation(id: id, audit: .forTests(ids: [id], kind: .batchEvaluation))
                            } catch let error as StorageError where error.kind == .conflict || error.kind == .notFound {
                                return nil
                            }
                        }
                        group.addTask {
                            do {
                                _ = try await store.stopBatchEvaluation(id: id, at: Timestamp.nowMilliseconds())
                            } catch let error as StorageError where error.kind == .conflict || error.kind == .notFound {}
                            return nil
                        }
                        group.addTask {
                            // The runner finishes what it holds (a STOPPING job ends STOPPED).
                            guard let job = try await store.batchEvaluation(id: id), job.leaseOwner == runner else { return nil }
                            do {
                                _ = try await store.updateBatchEvaluation(
                                    id: id, owner: runner, BatchEvaluationUpdate(results: job.results, finalStatus: .completed, leaseExpiresAt: 0), at: Timestamp.nowMilliseconds()
                                )
                            } catch let error as StorageError where error.kind == .conflict || error.kind == .notFound {}
                            return nil
                        }
                    }
                }
                var deleted: [BatchEvaluationDeletion] = []
                for try await deletion in group { if let deletion { deleted.append(deletion) } }
                return deleted
            }

            let running = deletions.filter { !$0.status.isTerminal }
            try expect(running.isEmpty, "\(running.count) deletes removed a job that was not terminal: \(running.prefix(3).map { "\($0.id) (\($0.status.rawValue))" })")
            let deletedIDs = Set(deletions.map(\.id))
            try expectEqual(deletedIDs.count, deletions.count, "distinct jobs deleted (a job was deleted twice)")
            for job in jobs {
                let stored = try await store.batchEvaluation(id: job.id)
                if let deletion = deletions.first(where: { $0.id == job.id }) {
                    try expect(stored == nil, "job \(job.id) was reported deleted but is still there")
                    try expectEqual(deletion.arn, job.arn, "the ARN reported for deleted job \(job.id)")
                } else if held.contains(job.id) {
                    // The runner finished it: it is terminal now, and deletable.
                    guard let stored else { throw ConformanceFailure(description: "job \(job.id) is gone without a reported delete") }
                    try expect(stored.status.isTerminal, "held job \(job.id) is \(stored.status.rawValue) after the runner finished it")
                } else {
                    // No runner holds it: PENDING → STOPPING, and nothing finishes it, so it must remain.
                    guard let stored else { throw ConformanceFailure(description: "unheld job \(job.id) (never terminal) is gone without a reported delete") }
                    try expectEqual(stored.status, .stopping, "the status of unheld job \(job.id)")
                }
            }
            let unheldDeleted = deletedIDs.subtracting(held)
            try expect(unheldDeleted.isEmpty, "jobs that never became terminal were deleted: \(unheldDeleted.sorted().prefix(3))")
        },
    ]
}
