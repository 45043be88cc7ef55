import EvalGatewayCore
import MemoryAdapter
import Synchronization

/// A job store that breaks the conditional delete: it deletes a job whatever its state (no terminal
/// check), and reports the state it was in. Everything else is the memory job store's; a deleted job is
/// hidden from every other operation.
final class UnconditionalDeleteJobStore: BatchEvaluationStore {
    private let base = MemoryBatchEvaluationStore()
    private let deleted = Mutex<Set<String>>([])

    private func isDeleted(_ id: String) -> Bool { deleted.withLock { $0.contains(id) } }

    private func notFound(_ id: String) -> StorageError { .notFound("Batch evaluation '\(id)' not found") }

    func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation {
        try await base.createBatchEvaluation(job)
    }

    func batchEvaluation(id: String) async throws -> BatchEvaluation? {
        isDeleted(id) ? nil : try await base.batchEvaluation(id: id)
    }

    func batchEvaluationState(id: String) async throws -> BatchEvaluationState? {
        isDeleted(id) ? nil : try await base.batchEvaluationState(id: id)
    }

    func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage {
        var page = try await base.listBatchEvaluations(limit: limit, after: cursor)
        page.jobs.removeAll { isDeleted($0.id) }
        return page
    }

    func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation {
        if isDeleted(id) { throw notFound(id) }
        return try await base.stopBatchEvaluation(id: id, at: timestamp)
    }

    /// The flaw: no check that the job is terminal.
    func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion {
        guard let job = try await batchEvaluation(id: id) else { throw notFound(id) }
        let removed = deleted.withLock { $0.insert(id).inserted }
        guard removed else { throw notFound(id) }
        return BatchEvaluationDeletion(id: job.id, arn: job.arn, status: job.status)
    }

    func claimBatchEvaluation(owner: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation? {
        while let job = try await base.claimBatchEvaluation(owner: owner, leaseExpiresAt: leaseExpiresAt, at: timestamp) {
            if !isDeleted(job.id) { return job }
        }
        return nil
    }

    func updateBatchEvaluation(id: String, owner: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState {
        if isDeleted(id) { throw notFound(id) }
        return try await base.updateBatchEvaluation(id: id, owner: owner, update, at: timestamp)
    }
}
