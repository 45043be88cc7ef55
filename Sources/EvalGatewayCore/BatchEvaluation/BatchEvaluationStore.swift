/// The storage contract for batch-evaluation jobs, kept by every adapter that runs jobs.
///
/// One job store belongs to one registered database, next to its eval-runs tables, so that job state
/// lives in the backend and any gateway instance can serve and run any job. Every operation is one
/// atomic step in the backend: in particular, a delete checks that the job is terminal and removes it
/// in the same step, so a delete racing a stop or a runner update never removes a running job.
///
/// Errors: a store throws ``StorageError`` (not found, conflict, invalid, unavailable, internal) and,
/// for a `clientToken` reused with other parameters, ``BatchEvaluationError``. Timestamps are epoch
/// milliseconds, given by the caller.
///
/// For the same sequence of calls, every adapter gives the same observable result.
public protocol BatchEvaluationStore: Sendable {
    /// Stores a new job.
    ///
    /// If a job with the same `clientToken` exists, returns it (`created == false`) when its
    /// `parametersHash` is the same, and throws ``BatchEvaluationError/idempotentParameterMismatch(_:)``
    /// when it is not. Throws ``StorageError/conflict(_:)`` if another job has the same name.
    func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation

    /// The job with this id, or `nil`.
    func batchEvaluation(id: String) async throws -> BatchEvaluation?

    /// The state and lease of the job with this id, or `nil` — without reading its sessions (a runner
    /// polls it for stop requests).
    func batchEvaluationState(id: String) async throws -> BatchEvaluationState?

    /// Up to `limit` jobs after `cursor` (from the start when `nil`), ordered by `createdAt` descending
    /// then `id` descending, and the cursor of the next page when more follow.
    func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage

    /// Asks a pending or running job to stop: its state becomes `STOPPING` (a `STOPPING` job is left as
    /// it is). Returns the job. Throws ``StorageError/notFound(_:)`` for an unknown id and
    /// ``StorageError/conflict(_:)`` for a terminal job.
    func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation

    /// Deletes a job if, and only if, it is terminal — checked and deleted in one atomic step — and
    /// returns what was deleted. Throws ``StorageError/notFound(_:)`` for an unknown id and
    /// ``StorageError/conflict(_:)`` for a job that is not terminal. The eval runs the job wrote stay.
    ///
    /// In the same step, writes `audit` (``AuditRecord/deleting(_:)`` with 1) to the database's audit
    /// trail; a refused delete writes nothing.
    func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion

    /// Claims the oldest runnable job for `owner` until `leaseExpiresAt`, or returns `nil`.
    ///
    /// Runnable: `PENDING`, `IN_PROGRESS` or `STOPPING`, with no lease or an expired one (so a job whose
    /// runner crashed is taken over). A `PENDING` job becomes `IN_PROGRESS` in the same step. At most one
    /// runner holds a job at a time.
    func claimBatchEvaluation(owner: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation?

    /// Writes a runner's progress to a job it holds and renews its lease, or finishes the job (and
    /// releases the lease) when `update.finalStatus` is set; a job that became `STOPPING` finishes as
    /// `STOPPED`. Returns the job's state as stored, so the runner sees a stop request.
    ///
    /// Throws ``StorageError/conflict(_:)`` if `owner` does not hold the job (its lease was taken over,
    /// or the job is terminal), ``StorageError/notFound(_:)`` if there is no such job.
    func updateBatchEvaluation(id: String, owner: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState
}
