public import EvalGatewayCore
import Synchronization

/// An eval-runs store in process memory. Every operation takes one lock, so each is atomic and a reader
/// never sees a partial delete. Ids are keyed by their UTF-8 bytes (``BytewiseString``), as the SQL
/// adapters compare them; `eval_data` and `eval_input` are kept as the client's text.
public final class MemoryEvalRunStore: EvalRunStore {
    private typealias Table = [BytewiseString: EvalRun]
    private let tables: Mutex<[String: Table]>
    /// The database's audit trail, shared with its jobs.
    private let trail: MemoryAuditTrail
    /// The database's batch-evaluation jobs.
    let jobs: MemoryBatchEvaluationStore

    /// Creates an empty store with these tables.
    public init(tables: [String]) {
        self.tables = Mutex(Dictionary(uniqueKeysWithValues: Set(tables).map { ($0, Table()) }))
        let trail = MemoryAuditTrail()
        self.trail = trail
        self.jobs = MemoryBatchEvaluationStore(trail: trail)
    }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let ordering = EvalRunOrdering(column: query.sortBy, order: query.sortOrder)
        let (first, total) = try tables.withLock { tables in
            // Only the rows up to the page's end are kept in order, not the whole table sorted.
            let (wanted, overflow) = query.offset.addingReportingOverflow(query.limit)
            return try Self.rows(of: table, in: tables).values.lazy.filter(query.matches)
                .firstInOrder(overflow ? Int.max : wanted, by: ordering.areInIncreasingOrder)
        }
        let start = min(query.offset, first.count)
        return EvalRunPage(runs: Array(first[start...]), totalCount: total)
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

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
        try StoredText.validate(ids: ids)
        return try tables.withLock { tables in
            _ = try Self.rows(of: table, in: tables)
            var removed: [String] = []
            var count = 0
            for id in ids where tables[table]!.removeValue(forKey: BytewiseString(id)) != nil {
                count += 1
                if returningRemovedIDs { removed.append(id) }
            }
            trail.append(audit.deleting(count))
            return EvalRunDeletion(deletedCount: count, removedIDs: returningRemovedIDs ? removed : nil)
        }
    }

    public func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
        try filter.validate()
        return try tables.withLock { tables in
            let rows = try Self.rows(of: table, in: tables)
            var matching = rows.values.filter(filter.matches)
            // The oldest first, as the SQL adapters' batches tend to go; any order would keep the contract.
            matching.sort { $0.createdAt != $1.createdAt ? $0.createdAt < $1.createdAt : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            let batch = matching.prefix(max(0, limit)).map(\.id)
            for id in batch { tables[table]!.removeValue(forKey: BytewiseString(id)) }
            trail.append(audit.deleting(ids: batch))
            return EvalRunBatchDeletion(deletedCount: batch.count, hasMore: matching.count > batch.count)
        }
    }

    public func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
        try filter.validate()
        return try tables.withLock { try Self.rows(of: table, in: $0).values.count(where: filter.matches) }
    }

    public func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
        trail.page(matching: query)
    }

    public func ping() async throws {}

    public func shutdown() async {}

    private static func rows(of table: String, in tables: [String: Table]) throws -> Table {
        guard let rows = tables[table] else { throw StorageError.invalid("Unknown table '\(table)'") }
        return rows
    }
}
