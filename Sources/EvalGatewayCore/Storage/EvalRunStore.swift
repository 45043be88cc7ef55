/// The storage contract every adapter keeps: the same observable result for the same calls, whatever the backend.
///
/// One store is one registered database. Tables are named by the caller and have already been checked
/// against the database's registered tables: a store may rely on `table` being one of the names it was
/// opened with, and never receives any other string as an identifier. Values always travel as bound
/// parameters.
///
/// Errors: a store throws ``StorageError`` (not found, conflict, invalid, unavailable, internal). Any
/// other error reaching the gateway is treated as internal, and its text is logged, never returned.
///
/// For the same sequence of calls, every adapter gives the same observable result; the
/// `AdapterConformance` library checks this.
public protocol EvalRunStore: Sendable {
    /// One page of runs matching `query`, and the number of runs matching its filters.
    func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage

    /// The run with this id, or `nil`.
    func evalRun(id: String, in table: String) async throws -> EvalRun?

    /// Stores a new run. Throws ``StorageError/conflict(_:)`` if a run with this id exists.
    func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun

    /// Renames a run and sets its `updated_at` to `timestamp`.
    /// Throws ``StorageError/notFound(_:)`` if there is no such run.
    func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun

    /// Deletes the runs with these ids, atomically (all or nothing), and returns the exact number of rows
    /// removed. Duplicate and missing ids are not errors. No size of `ids` may fail for a driver limit.
    ///
    /// In the same transaction, writes `audit` with the number of rows removed
    /// (``AuditRecord/deleting(_:)``): the record exists if and only if the delete committed, even when
    /// it removed nothing.
    /// - Parameter returningRemovedIDs: also report which ids were removed.
    func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion

    /// Deletes at most `limit` runs matching `filter`, atomically, and returns the exact number removed and
    /// whether matching runs remain. One call is one batch: a caller erasing every match calls again
    /// while ``EvalRunBatchDeletion/hasMore`` is true, so no transaction holds a table for long.
    ///
    /// In the same transaction, writes `audit` with the ids the batch removed
    /// (``AuditRecord/deleting(ids:)``). Throws ``StorageError/invalid(_:)`` for an empty filter
    /// (``EvalRunFilter/validate()``) before touching anything.
    func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion

    /// The number of runs matching `filter` (what a delete by filter would remove now: its dry run).
    /// Throws ``StorageError/invalid(_:)`` for an empty filter.
    func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int

    /// One page of the database's audit trail (its records of every table and of its jobs), newest first,
    /// and the number of records matching the query's filters.
    func auditRecords(matching query: AuditQuery) async throws -> AuditPage

    /// Checks that the backend answers. Throws ``StorageError/unavailable(_:retryAfter:)`` if not.
    func ping() async throws

    /// Releases connections and files. Called once, when the gateway stops.
    func shutdown() async
}
