/// Erases every run of one table that matches a filter, one batch (one transaction, one audit record) at
/// a time, so no table is held for long. Each batch is atomic; the whole is not: when a batch fails, the
/// outcome says how many rows the batches before it removed, and running the erasure again finishes it.
public struct FilterErasure: Sendable {
    /// The filter.
    public var filter: EvalRunFilter
    /// The most rows one batch removes (`delete.filter_batch_rows`).
    public var batchRows: Int
    /// `filter` for a request, `retention` for a sweep.
    public var kind: AuditKind
    /// Who is erasing, for the audit records.
    public var audit: AuditContext

    /// Describes an erasure.
    public init(filter: EvalRunFilter, batchRows: Int, kind: AuditKind, audit: AuditContext) {
        self.filter = filter
        self.batchRows = max(1, batchRows)
        self.kind = kind
        self.audit = audit
    }

    /// What an erasure did.
    public struct Outcome: Sendable {
        /// The rows removed by the batches that committed.
        public var deleted: Int
        /// The batches that committed.
        public var batches: Int
        /// Why it stopped before the end, if it did.
        public var error: (any Error)?
    }

    /// Runs batches on `table` of `store` (the database `databaseID`) until no matching row is left, a
    /// batch fails, or the task is cancelled.
    public func run(on store: any EvalRunStore, databaseID: String, table: String) async -> Outcome {
        var outcome = Outcome(deleted: 0, batches: 0, error: nil)
        while true {
            if Task.isCancelled {
                outcome.error = CancellationError()
                return outcome
            }
            let record = audit.record(databaseID: databaseID, table: table, kind: kind, filter: filter)
            do {
                let batch = try await store.deleteEvalRuns(matching: filter, in: table, limit: batchRows, audit: record)
                outcome.deleted += batch.deletedCount
                outcome.batches += 1
                // A batch that removed nothing ends it even if the store says more match (rows another
                // writer holds): the next run picks them up.
                if !batch.hasMore || batch.deletedCount == 0 { return outcome }
            } catch {
                outcome.error = error
                return outcome
            }
        }
    }
}
