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
    /// - Parameter returningRemovedIDs: also report which ids were removed.
    func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion

    /// Checks that the backend answers. Throws ``StorageError/unavailable(_:retryAfter:)`` if not.
    func ping() async throws

    /// Releases connections and files. Called once, when the gateway stops.
    func shutdown() async
}
