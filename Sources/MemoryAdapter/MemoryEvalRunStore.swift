public import EvalGatewayCore
import Synchronization

/// An eval-runs store in process memory. Every operation takes one lock, so each is atomic and a reader
/// never sees a partial delete. Ids are keyed by their UTF-8 bytes (``BytewiseString``), as the SQL
/// adapters compare them; `eval_data` and `eval_input` are kept as the client's text.
public final class MemoryEvalRunStore: EvalRunStore {
    private typealias Table = [BytewiseString: EvalRun]
    private let tables: Mutex<[String: Table]>
    /// The database's batch-evaluation jobs.
    let jobs = MemoryBatchEvaluationStore()

    /// Creates an empty store with these tables.
    public init(tables: [String]) {
        self.tables = Mutex(Dictionary(uniqueKeysWithValues: Set(tables).map { ($0, Table()) }))
    }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let matching = try tables.withLock { tables in
            try Self.rows(of: table, in: tables).values.filter(query.matches)
        }
        let ordering = EvalRunOrdering(column: query.sortBy, order: query.sortOrder)
        let sorted = matching.sorted(by: ordering.areInIncreasingOrder)
        let start = min(query.offset, sorted.count)
        let end = min(start + query.limit, sorted.count)
        return EvalRunPage(runs: Array(sorted[start..<end]), totalCount: sorted.count)
    }

    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        try tables.withLock { try Self.rows(of: table, in: $0)[BytewiseString(id)] }
    }

    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        try StoredText.validate(run)
        return try tables.withLock { tables in
            let key = BytewiseString(run.id)
            guard try Self.rows(of: table, in: tables)[key] == nil else {
                throw StorageError.conflict("An eval run with id '\(run.id)' already exists")
            }
            tables[table]![key] = run
            return run
        }
    }

    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        try StoredText.validate(name, field: "name")
        return try tables.withLock { tables in
            let key = BytewiseString(id)
            guard var run = try Self.rows(of: table, in: tables)[key] else {
                throw StorageError.notFound("Eval run with id '\(id)' not found")
            }
            run.name = name
            run.updatedAt = timestamp
            tables[table]![key] = run
            return run
        }
    }

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion {
        try StoredText.validate(ids: ids)
        return try tables.withLock { tables in
            _ = try Self.rows(of: table, in: tables)
            var removed: [String] = []
            var count = 0
            for id in ids where tables[table]!.removeValue(forKey: BytewiseString(id)) != nil {
                count += 1
                if returningRemovedIDs { removed.append(id) }
            }
            return EvalRunDeletion(deletedCount: count, removedIDs: returningRemovedIDs ? removed : nil)
        }
    }

    public func ping() async throws {}

    public func shutdown() async {}

    private static func rows(of table: String, in tables: [String: Table]) throws -> Table {
        guard let rows = tables[table] else { throw StorageError.invalid("Unknown table '\(table)'") }
        return rows
    }
}
