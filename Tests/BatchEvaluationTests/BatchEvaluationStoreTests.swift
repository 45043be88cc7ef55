import EvalGatewayCore
import Foundation
import Testing

/// The job-store contract, on every adapter: the same calls give the same observable results.
@Suite struct BatchEvaluationStoreTests {
    @Test(arguments: Backend.available)
    func createGetAndUniqueNames(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        let job = makeJob(name: "first")
        let creation = try await store.createBatchEvaluation(job)
        #expect(creation.created)
        #expect(try await store.batchEvaluation(id: job.id) == job)
        #expect(try await store.batchEvaluation(id: "missing-aaaaaaaaaa") == nil)
        await #expect(throws: StorageError.self) { try await store.createBatchEvaluation(makeJob(name: "first")) }
    }

    @Test(arguments: Backend.available)
    func clientTokenIdempotency(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        let token = String(repeating: "t", count: 40)
        let first = try await store.createBatchEvaluation(makeJob(name: "idem", token: token, hash: "A"))
        let again = try await store.createBatchEvaluation(makeJob(name: "idem", token: token, hash: "A"))
        #expect(!again.created)
        #expect(again.job.id == first.job.id)
        await #expect(throws: BatchEvaluationError.self) {
            try await store.createBatchEvaluation(makeJob(name: "idem2", token: token, hash: "B"))
        }
    }

    @Test(arguments: Backend.available)
    func listIsNewestFirstWithCursor(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        var expected: [String] = []
        for index in 0..<7 {
            // Two jobs share each millisecond, so the id breaks the tie.
            let job = makeJob(name: "job\(index)", createdAt: 1_000 + Int64(index / 2))
            _ = try await store.createBatchEvaluation(job)
            expected.append(job.id)
        }
        expected = zip(expected, (0..<7).map { 1_000 + Int64($0 / 2) }).sorted { ($0.1, $0.0) > ($1.1, $1.0) }.map(\.0)
        var seen: [String] = []
        var cursor: BatchEvaluationCursor?
        var pages = 0
        repeat {
            let page = try await store.listBatchEvaluations(limit: 3, after: cursor)
            seen += page.jobs.map(\.id)
            cursor = page.next
            pages += 1
        } while cursor != nil
        #expect(seen == expected)
        #expect(pages == 3)
        let exact = try await store.listBatchEvaluations(limit: 7, after: nil)
        #expect(exact.next == nil)
    }

    @Test(arguments: Backend.available)
    func stopAndConditionalDelete(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        let job = makeJob(name: "stoppable")
        _ = try await store.createBatchEvaluation(job)
        await #expect(throws: StorageError.conflict("Batch evaluation '\(job.id)' is PENDING, still running. Stop it first, then delete it")) {
            try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
        }
        let stopped = try await store.stopBatchEvaluation(id: job.id, at: 5)
        #expect(stopped.status == .stopping)
        #expect(try await store.stopBatchEvaluation(id: job.id, at: 6).status == .stopping)
        await #expect(throws: StorageError.self) { try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation)) }

        // The runner finishes a STOPPING job as STOPPED, whatever it asks.
        let claimed = try #require(try await store.claimBatchEvaluation(owner: "r1", leaseExpiresAt: 100, at: 10))
        #expect(claimed.status == .stopping)
        let finished = try await store.updateBatchEvaluation(
            id: job.id, owner: "r1", BatchEvaluationUpdate(results: claimed.results, finalStatus: .completed, leaseExpiresAt: 0), at: 11
        )
        #expect(finished.status == .stopped)
        #expect(finished.leaseOwner == nil)
        await #expect(throws: StorageError.self) { try await store.stopBatchEvaluation(id: job.id, at: 12) }

        let deletion = try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
        #expect(deletion == BatchEvaluationDeletion(id: job.id, arn: job.arn, status: .stopped))
        #expect(try await store.batchEvaluation(id: job.id) == nil)
        await #expect(throws: StorageError.notFound("Batch evaluation '\(job.id)' not found")) { try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation)) }
        await #expect(throws: StorageError.notFound("Batch evaluation '\(job.id)' not found")) { try await store.stopBatchEvaluation(id: job.id, at: 1) }
        // The name is free again.
        #expect(try await store.createBatchEvaluation(makeJob(name: "stoppable")).created)
    }

    @Test(arguments: Backend.available)
    func leasesAreExclusiveAndExpire(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        let older = makeJob(name: "older", createdAt: 1)
        let newer = makeJob(name: "newer", createdAt: 2)
        _ = try await store.createBatchEvaluation(newer)
        _ = try await store.createBatchEvaluation(older)

        let first = try #require(try await store.claimBatchEvaluation(owner: "a", leaseExpiresAt: 1_000, at: 100))
        #expect(first.id == older.id)
        #expect(first.status == .inProgress)
        let second = try #require(try await store.claimBatchEvaluation(owner: "b", leaseExpiresAt: 1_000, at: 100))
        #expect(second.id == newer.id)
        #expect(try await store.claimBatchEvaluation(owner: "c", leaseExpiresAt: 1_000, at: 100) == nil)

        // Only the holder may write.
        var results = first.results
        results.sessionsProcessed = 1
        await #expect(throws: StorageError.self) {
            try await store.updateBatchEvaluation(id: older.id, owner: "b", BatchEvaluationUpdate(results: results, leaseExpiresAt: 2_000), at: 200)
        }
        let renewed = try await store.updateBatchEvaluation(id: older.id, owner: "a", BatchEvaluationUpdate(results: results, leaseExpiresAt: 2_000), at: 200)
        #expect(try await store.batchEvaluation(id: older.id)?.results.sessionsProcessed == 1)
        #expect(renewed.leaseExpiresAt == 2_000)

        // "a" crashes: after its lease expires, "c" takes the job over, with its progress; "a" is locked out.
        #expect(try await store.claimBatchEvaluation(owner: "c", leaseExpiresAt: 3_000, at: 1_999)?.id == newer.id) // newer's lease (1000) expired first
        let takeover = try #require(try await store.claimBatchEvaluation(owner: "c", leaseExpiresAt: 5_000, at: 2_000))
        #expect(takeover.id == older.id)
        #expect(takeover.status == .inProgress)
        #expect(takeover.results.sessionsProcessed == 1)
        await #expect(throws: StorageError.self) {
            try await store.updateBatchEvaluation(id: older.id, owner: "a", BatchEvaluationUpdate(results: results, leaseExpiresAt: 9_000), at: 2_001)
        }
        let done = try await store.updateBatchEvaluation(
            id: older.id, owner: "c", BatchEvaluationUpdate(results: results, finalStatus: .completed, leaseExpiresAt: 0), at: 2_002
        )
        #expect(done.status == .completed)
        #expect(done.updatedAt == 2_002)
        // A terminal job is never claimed again.
        #expect(try await store.claimBatchEvaluation(owner: "d", leaseExpiresAt: 99_999, at: 99_000)?.id == newer.id)
        #expect(try await store.claimBatchEvaluation(owner: "e", leaseExpiresAt: 99_999, at: 99_500) == nil)
    }

    /// Deletes, stops and runner updates race on the same jobs; a job that is not terminal is never
    /// deleted, and every delete that succeeds removed a terminal job.
    @Test(arguments: Backend.available)
    func deleteNeverRemovesARunningJob(_ backend: Backend) async throws {
        let store = try await backend.jobStore()
        let jobCount = 40
        var jobs: [BatchEvaluation] = []
        for index in 0..<jobCount {
            let job = makeJob(name: "race\(index)", createdAt: Int64(index))
            _ = try await store.createBatchEvaluation(job)
            jobs.append(job)
        }
        // Half are held by a runner (IN_PROGRESS), half stay PENDING.
        for _ in 0..<(jobCount / 2) {
            _ = try await store.claimBatchEvaluation(owner: "runner", leaseExpiresAt: Int64.max / 2, at: 1_000)
        }
        let ids = jobs.map(\.id)
        let deletions = try await withThrowingTaskGroup(of: BatchEvaluationDeletion?.self) { group in
            for _ in 0..<6 {
                for id in ids {
                    group.addTask {
                        do {
                            return try await store.deleteBatchEvaluation(id: id, audit: .forTests(ids: [id], kind: .batchEvaluation))
                        } catch StorageError.conflict {
                            return nil
                        } catch StorageError.notFound {
                            return nil
                        }
                    }
                    group.addTask {
                        _ = try? await store.stopBatchEvaluation(id: id, at: 2_000)
                        return nil
                    }
                    group.addTask {
                        // The runner finishes what it holds (STOPPING ends STOPPED).
                        guard let job = try? await store.batchEvaluation(id: id), job.leaseOwner == "runner" else { return nil }
                        _ = try? await store.updateBatchEvaluation(
                            id: id, owner: "runner", BatchEvaluationUpdate(results: job.results, finalStatus: .completed, leaseExpiresAt: 0), at: 3_000
                        )
                        return nil
                    }
                }
            }
            var deleted: [BatchEvaluationDeletion] = []
            for try await deletion in group { if let deletion { deleted.append(deletion) } }
            return deleted
        }
        #expect(deletions.allSatisfy { $0.status.isTerminal }, "a non-terminal job was deleted: \(deletions.filter { !$0.status.isTerminal })")
        #expect(Set(deletions.map(\.id)).count == deletions.count, "a job was deleted twice")
        // Whatever is left is consistent: no job is both deleted and present.
        for deletion in deletions { #expect(try await store.batchEvaluation(id: deletion.id) == nil) }
        // The jobs no runner holds went PENDING → STOPPING and nothing finishes them: never deleted.
        for job in jobs[(jobCount / 2)...] {
            #expect(!deletions.contains { $0.id == job.id })
            #expect(try await store.batchEvaluation(id: job.id)?.status == .stopping)
        }
        // The held ones were all finished by the runner: those the race did not delete go now.
        var removed = Set(deletions.map(\.id))
        for job in jobs[..<(jobCount / 2)] where !removed.contains(job.id) {
            let deletion = try await store.deleteBatchEvaluation(id: job.id, audit: .forTests(ids: [job.id], kind: .batchEvaluation))
            #expect(deletion.status.isTerminal)
            removed.insert(job.id)
        }
        #expect(removed.count == jobCount / 2)
    }
}
