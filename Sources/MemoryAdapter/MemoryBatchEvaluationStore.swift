public import EvalGatewayCore
import Synchronization

/// Batch-evaluation jobs in process memory, for a `memory` database. Every operation takes one lock,
/// so each is atomic: a conditional delete checks and removes under the same lock as a stop or a
/// runner update.
public final class MemoryBatchEvaluationStore: BatchEvaluationStore {
    private struct State {
        var jobs: [String: BatchEvaluation] = [:]
        var idsByName: [String: String] = [:]
        var idsByToken: [String: String] = [:]
    }

    private let state = Mutex(State())
    /// Where a delete writes its audit record.
    private let trail: MemoryAuditTrail

    /// An empty store, with an audit trail of its own.
    public convenience init() { self.init(trail: MemoryAuditTrail()) }

    /// An empty store writing to a database's audit trail.
    init(trail: MemoryAuditTrail) { self.trail = trail }

    public func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation {
        try StoredText.validate(job.description, field: "description")
        return try state.withLock { state throws -> BatchEvaluationCreation in
            if let token = job.clientToken, let existingID = state.idsByToken[token], let existing = state.jobs[existingID] {
                guard existing.parametersHash == job.parametersHash else {
                    throw BatchEvaluationError.idempotentParameterMismatch(
                        "The client token '\(token)' was already used with different parameters"
                    )
                }
                return BatchEvaluationCreation(job: existing, created: false)
            }
            guard state.idsByName[job.name] == nil else {
                throw StorageError.conflict("A batch evaluation named '\(job.name)' already exists")
            }
            guard state.jobs[job.id] == nil else {
                throw StorageError.conflict("A batch evaluation with id '\(job.id)' already exists")
            }
            state.jobs[job.id] = job
            state.idsByName[job.name] = job.id
            if let token = job.clientToken { state.idsByToken[token] = job.id }
            return BatchEvaluationCreation(job: job, created: true)
        }
    }

    public func batchEvaluation(id: String) async throws -> BatchEvaluation? {
        state.withLock { $0.jobs[id] }
    }

    public func batchEvaluationState(id: String) async throws -> BatchEvaluationState? {
        state.withLock { $0.jobs[id]?.state }
    }

    public func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage {
        let jobs = state.withLock { state in
            state.jobs.values.filter { cursor?.precedes($0) ?? true }
        }
        let sorted = jobs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        let page = Array(sorted.prefix(limit))
        return BatchEvaluationPage(jobs: page, next: sorted.count > limit ? page.last?.cursor : nil)
    }

    public func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation {
        try state.withLock { state throws -> BatchEvaluation in
            guard var job = state.jobs[id] else { throw StorageError.notFound("Batch evaluation '\(id)' not found") }
            guard BatchEvaluationStatus.stoppable.contains(job.status) else {
                throw StorageError.conflict("Batch evaluation '\(id)' is already \(job.status.rawValue) and cannot be stopped")
            }
            if job.status != .stopping {
                job.status = .stopping
                job.updatedAt = timestamp
                state.jobs[id] = job
            }
            return job
        }
    }

    public func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion {
        try state.withLock { state throws -> BatchEvaluationDeletion in
            guard let job = state.jobs[id] else { throw StorageError.notFound("Batch evaluation '\(id)' not found") }
            guard job.status.isTerminal else {
                throw StorageError.conflict("Batch evaluation '\(id)' is \(job.status.rawValue), still running. Stop it first, then delete it")
            }
            state.jobs[id] = nil
            state.idsByName[job.name] = nil
            if let token = job.clientToken { state.idsByToken[token] = nil }
            trail.append(audit.deleting(1))
            return BatchEvaluationDeletion(id: job.id, arn: job.arn, status: job.status)
        }
    }

    public func claimBatchEvaluation(owner: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation? {
        state.withLock { state -> BatchEvaluation? in
            let candidates = state.jobs.values.filter { job in
                BatchEvaluationStatus.runnable.contains(job.status) && (job.leaseOwner == nil || (job.leaseExpiresAt ?? 0) <= timestamp)
            }
            guard var job = candidates.min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) else { return nil }
            if job.status == .pending { job.status = .inProgress }
            job.leaseOwner = owner
            job.leaseExpiresAt = leaseExpiresAt
            job.updatedAt = timestamp
            state.jobs[job.id] = job
            return job
        }
    }

    public func updateBatchEvaluation(id: String, owner: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState {
        try state.withLock { state throws -> BatchEvaluationState in
            guard var job = state.jobs[id] else { throw StorageError.notFound("Batch evaluation '\(id)' not found") }
            guard job.leaseOwner == owner, !job.status.isTerminal else {
                throw StorageError.conflict("Batch evaluation '\(id)' is not held by runner '\(owner)'")
            }
            job.results = update.results
            job.errorDetails = update.errorDetails
            job.updatedAt = timestamp
            if let final = update.finalStatus {
                job.status = job.status == .stopping ? .stopped : final
                job.leaseOwner = nil
                job.leaseExpiresAt = nil
            } else {
                job.leaseExpiresAt = update.leaseExpiresAt
            }
            state.jobs[id] = job
            return job.state
        }
    }
}
