import EvalGatewayCore

/// Batch-evaluation runners: claims and leases. One runner holds a job at a time, a crashed runner's
/// job is taken over when its lease expires, only the holder writes, and a stopped job ends `STOPPED`.
enum BatchEvaluationLeaseChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck(
            "job-claim-is-exclusive",
            "Claims take the oldest runnable job, turn PENDING into IN_PROGRESS in the same step, and never hand a held job to a second runner.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let now = Timestamp.nowMilliseconds()
            let newer = try await context.create(context.makeJob("claim_newer", createdAt: now))
            let older = try await context.create(context.makeJob("claim_older", createdAt: now - 1))
            let ours: Set = [older.id, newer.id]
            let (first, second) = (context.owner("first"), context.owner("second"))

            let lease = ConformanceContext.heldLease()
            let claimed = try await context.claim(oneOf: ours, owner: first, leaseExpiresAt: lease)
            try expectEqual(claimed?.id, older.id, "the job the first claim took (the oldest)")
            var expected = older
            expected.status = .inProgress
            expected.leaseOwner = first
            expected.leaseExpiresAt = lease
            expected.updatedAt = claimed?.updatedAt ?? 0
            try expectEqual(claimed, expected, "the claimed job (PENDING becomes IN_PROGRESS, leased to the claimer)")
            try expectEqual(try await store.batchEvaluation(id: older.id), expected, "the claimed job read back")
            try expectEqual(try await store.batchEvaluationState(id: older.id), expected.state, "the claimed job's state")

            let next = try await context.claim(oneOf: ours, owner: second, leaseExpiresAt: ConformanceContext.heldLease())
            try expectEqual(next?.id, newer.id, "the job a second runner claims (the held one is skipped)")
            let third = try await context.claim(oneOf: ours, owner: context.owner("third"), leaseExpiresAt: ConformanceContext.heldLease())
            try expect(third == nil, "a third runner claimed \(third?.id ?? "") while both jobs were held")
            try expectEqual(try await context.storedJob(older.id).leaseOwner, first, "the holder of the older job")
            try expectEqual(try await context.storedJob(newer.id).leaseOwner, second, "the holder of the newer job")
        },
        ConformanceCheck(
            "job-expired-lease-is-taken-over",
            "A job whose lease expired (its runner crashed) is claimed by another runner with its progress; the old runner is then refused with 'conflict'.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let job = try await context.create(context.makeJob("takeover", createdAt: Timestamp.nowMilliseconds()))
            let (crashed, rescuer) = (context.owner("crashed"), context.owner("rescuer"))
            let claimed = try await context.claim(job.id, owner: crashed, leaseExpiresAt: ConformanceContext.heldLease())
            var progress = claimed.results
            progress.sessionsProcessed = 1
            progress.numberOfSessionsCompleted = 1
            // The last renewal before the crash sets a lease that has already run out.
            let renewed = try await store.updateBatchEvaluation(
                id: job.id, owner: crashed, BatchEvaluationUpdate(results: progress, leaseExpiresAt: ConformanceContext.expiredLease()), at: Timestamp.nowMilliseconds()
            )
            try expectEqual(renewed.leaseOwner, crashed, "the holder after the renewal")

            let lease = ConformanceContext.heldLease()
            let takeover = try await context.claim(job.id, owner: rescuer, leaseExpiresAt: lease)
            try expectEqual(takeover.status, .inProgress, "the status of the job taken over")
            try expectEqual(takeover.leaseOwner, rescuer, "the new holder")
            try expectEqual(takeover.leaseExpiresAt, lease, "the new lease")
            try expectEqual(takeover.results, progress, "the progress the new runner resumes from")
            try await expectStorageError(.conflict, "an update by the runner whose lease was taken over") {
                _ = try await store.updateBatchEvaluation(
                    id: job.id, owner: crashed, BatchEvaluationUpdate(results: claimed.results, leaseExpiresAt: ConformanceContext.heldLease()), at: Timestamp.nowMilliseconds()
                )
            }
            try expectEqual(try await context.storedJob(job.id).results, progress, "the progress after the refused update")
            let other = try await context.claim(oneOf: [job.id], owner: context.owner("third"), leaseExpiresAt: ConformanceContext.heldLease())
            try expect(other == nil, "the job was claimed again while the new lease held")
        },
        ConformanceCheck(
            "job-update-requires-the-lease",
            "Only the holder writes progress and renews its lease; others get 'conflict', an unknown id 'not found', and a finished job takes no more writes.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let job = try await context.create(context.makeJob("update", createdAt: Timestamp.nowMilliseconds()))
            let holder = context.owner("holder")
            let claimed = try await context.claim(job.id, owner: holder, leaseExpiresAt: ConformanceContext.heldLease())
            var progress = claimed.results
            progress.sessionsProcessed = 1
            progress.numberOfSessionsIgnored = 1
            progress.evaluatorSummaries[0].totalIgnored = 1

            try await expectStorageError(.conflict, "an update by a runner that does not hold the job") {
                _ = try await store.updateBatchEvaluation(
                    id: job.id, owner: context.owner("intruder"), BatchEvaluationUpdate(results: progress, leaseExpiresAt: ConformanceContext.heldLease()), at: Timestamp.nowMilliseconds()
                )
            }
            try expectEqual(try await context.storedJob(job.id), claimed, "the job after the refused update")

            let renewal = ConformanceContext.heldLease() + 60_000
            let updateAt = Timestamp.nowMilliseconds()
            let state = try await store.updateBatchEvaluation(id: job.id, owner: holder, BatchEvaluationUpdate(results: progress, leaseExpiresAt: renewal), at: updateAt)
            try expectEqual(state, BatchEvaluationState(status: .inProgress, leaseOwner: holder, leaseExpiresAt: renewal, updatedAt: updateAt), "the state after the holder's update")
            let stored = try await context.storedJob(job.id)
            try expectEqual(stored.results, progress, "the progress read back")
            try expectEqual(stored.state, state, "the state read back")

            try await expectStorageError(.notFound, "an update of an unknown id") {
                _ = try await store.updateBatchEvaluation(
                    id: "cf_\(context.suffix)_absent-aaaaaaaaaa", owner: holder, BatchEvaluationUpdate(results: progress, leaseExpiresAt: renewal), at: Timestamp.nowMilliseconds()
                )
            }

            let finishAt = Timestamp.nowMilliseconds()
            let done = try await store.updateBatchEvaluation(
                id: job.id, owner: holder, BatchEvaluationUpdate(results: progress, finalStatus: .failed, errorDetails: ["evaluator failed"], leaseExpiresAt: renewal), at: finishAt
            )
            try expectEqual(done, BatchEvaluationState(status: .failed, leaseOwner: nil, leaseExpiresAt: nil, updatedAt: finishAt), "the state after finishing (lease released)")
            try expectEqual(try await context.storedJob(job.id).errorDetails, ["evaluator failed"], "the error details read back")
            try await expectStorageError(.conflict, "an update of a finished job by its last holder") {
                _ = try await store.updateBatchEvaluation(id: job.id, owner: holder, BatchEvaluationUpdate(results: progress, leaseExpiresAt: renewal), at: Timestamp.nowMilliseconds())
            }
            let claimedAgain = try await context.claim(oneOf: [job.id], owner: context.owner("late"), leaseExpiresAt: ConformanceContext.heldLease())
            try expect(claimedAgain == nil, "a FAILED job was claimed")
        },
        ConformanceCheck(
            "job-stopping-finishes-as-stopped",
            "A runner holding a job sees a stop request in its next update, and finishing a STOPPING job stores STOPPED with the lease cleared, whatever it asks.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let job = try await context.create(context.makeJob("stopping", createdAt: Timestamp.nowMilliseconds()))
            let runner = context.owner("runner")
            let claimed = try await context.claim(job.id, owner: runner, leaseExpiresAt: ConformanceContext.heldLease())
            _ = try await store.stopBatchEvaluation(id: job.id, at: Timestamp.nowMilliseconds())
            let polled = try await store.updateBatchEvaluation(
                id: job.id, owner: runner, BatchEvaluationUpdate(results: claimed.results, leaseExpiresAt: ConformanceContext.heldLease()), at: Timestamp.nowMilliseconds()
            )
            try expectEqual(polled.status, .stopping, "the state a runner's update returns after a stop")
            try expectEqual(polled.leaseOwner, runner, "the holder of the stopping job")

            let finishAt = Timestamp.nowMilliseconds()
            let finished = try await store.updateBatchEvaluation(
                id: job.id, owner: runner, BatchEvaluationUpdate(results: claimed.results, finalStatus: .completed, leaseExpiresAt: ConformanceContext.heldLease()), at: finishAt
            )
            try expectEqual(finished, BatchEvaluationState(status: .stopped, leaseOwner: nil, leaseExpiresAt: nil, updatedAt: finishAt), "the state after finishing a STOPPING job")
            try expectEqual(try await store.batchEvaluationState(id: job.id), finished, "the state read back")

            // A job stopped before any runner claimed it is claimed STOPPING (not IN_PROGRESS) and ends STOPPED.
            let unclaimed = try await context.create(context.makeJob("stopping_unclaimed", createdAt: Timestamp.nowMilliseconds()))
            _ = try await store.stopBatchEvaluation(id: unclaimed.id, at: Timestamp.nowMilliseconds())
            let late = try await context.claim(unclaimed.id, owner: runner, leaseExpiresAt: ConformanceContext.heldLease())
            try expectEqual(late.status, .stopping, "the status of a STOPPING job when claimed")
            let lateFinish = try await store.updateBatchEvaluation(
                id: unclaimed.id, owner: runner, BatchEvaluationUpdate(results: late.results, finalStatus: .completedWithErrors, leaseExpiresAt: 0), at: Timestamp.nowMilliseconds()
            )
            try expectEqual(lateFinish.status, .stopped, "the status a claimed STOPPING job finishes with")
            try expectEqual(lateFinish.leaseOwner, nil, "the holder after finishing")
        },
    ]
}
