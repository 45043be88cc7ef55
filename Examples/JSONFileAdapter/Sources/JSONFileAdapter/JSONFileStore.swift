public import EvalGatewayCore
import Foundation
import Synchronization

/// The store behind ``JSONFileAdapter``: rows in memory under one lock, each table's file rewritten
/// after every change while the lock is held, so the file and the memory never disagree. Ids are keyed
/// by their bytes (`BytewiseString`), and `eval_data`/`eval_input` are kept as the client's text.
///
/// A table's file holds its rows and the audit records of the deletes made in it
/// (`{"runs": […], "audit": […]}`), so a delete and its record are written by the same atomic rename:
/// the record exists if and only if the delete did.
public final class JSONFileStore: EvalRunStore {
    private typealias Rows = [BytewiseString: EvalRun]
    private struct Table {
        var rows: Rows = [:]
        var audit: [AuditRecord] = []
    }
    private let directory: URL
    private let tables: Mutex<[String: Table]>

    /// Opens (creating) the directory and loads every table's file.
    public init(directory: String, tables: [String]) throws {
        self.directory = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        var loaded: [String: Table] = [:]
        for table in tables {
            let file = self.directory.appendingPathComponent("\(table).json")
            guard FileManager.default.fileExists(atPath: file.path) else {
                loaded[table] = Table()
                continue
            }
            let data = try Data(contentsOf: file)
            // The first version of the format was the array of runs alone.
            let contents: FileContents
            if let current = try? JSONDecoder().decode(FileContents.self, from: data) {
                contents = current
            } else {
                contents = FileContents(runs: try JSONDecoder().decode([Record].self, from: data), audit: [])
            }
            loaded[table] = Table(
                rows: Dictionary(uniqueKeysWithValues: contents.runs.map { (BytewiseString($0.id), $0.run) }),
                audit: try contents.audit.map { try $0.record() }
            )
        }
        self.tables = Mutex(loaded)
    }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let rows = try tables.withLock { try Self.rows(table, $0).rows.values.filter(query.matches) }
        let sorted = rows.sorted(by: EvalRunOrdering(column: query.sortBy, order: query.sortOrder).areInIncreasingOrder)
        return EvalRunPage(runs: Array(sorted.dropFirst(query.offset).prefix(query.limit)), totalCount: sorted.count)
    }

    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        try tables.withLock { try Self.rows(table, $0).rows[BytewiseString(id)] }
    }

    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        try StoredText.validate(run)
        return try change(table) { table in
            guard table.rows[BytewiseString(run.id)] == nil else { throw StorageError.conflict("An eval run with id '\(run.id)' already exists") }
            table.rows[BytewiseString(run.id)] = run
            return run
        }
    }

    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        try StoredText.validate(name, field: "name")
        return try change(table) { table in
            guard var run = table.rows[BytewiseString(id)] else { throw StorageError.notFound("Eval run with id '\(id)' not found") }
            run.name = name
            run.updatedAt = timestamp
            table.rows[BytewiseString(id)] = run
            return run
        }
    }

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
        try StoredText.validate(ids: ids)
        return try change(table) { table in
            var removed: [String] = []
            for id in ids where table.rows.removeValue(forKey: BytewiseString(id)) != nil { removed.append(id) }
            table.audit.append(audit.deleting(removed.count))
            return EvalRunDeletion(deletedCount: removed.count, removedIDs: returningRemovedIDs ? removed : nil)
        }
    }

    public func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
        try filter.validate()
        return try change(table) { table in
            let matching = table.rows.values.filter(filter.matches).map(\.id)
            let batch = Array(matching.prefix(max(0, limit)))
            for id in batch { table.rows.removeValue(forKey: BytewiseString(id)) }
            table.audit.append(audit.deleting(ids: batch))
            return EvalRunBatchDeletion(deletedCount: batch.count, hasMore: matching.count > batch.count)
        }
    }

    public func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
        try filter.validate()
        return try tables.withLock { try Self.rows(table, $0).rows.values.count(where: filter.matches) }
    }

    public func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
        let matching = tables.withLock { $0.values.flatMap(\.audit) }.filter(query.matches).sorted(by: AuditQuery.isNewer)
        return AuditPage(records: Array(matching.dropFirst(query.offset).prefix(query.limit)), totalCount: matching.count)
    }

    public func ping() async throws {
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw StorageError.unavailable(underlying: "\(directory.path) is not writable")
        }
    }

    public func shutdown() async {}

    /// Applies `body` to a copy of the table, writes the file, then keeps the copy: a failed write
    /// changes nothing.
    private func change<T>(_ name: String, _ body: (inout Table) throws -> T) throws -> T {
        try tables.withLock { tables in
            var table = try Self.rows(name, tables)
            let result = try body(&table)
            do {
                let contents = FileContents(runs: table.rows.values.map(Record.init), audit: table.audit.map(AuditEntry.init))
                let data = try JSONEncoder().encode(contents)
                try data.write(to: directory.appendingPathComponent("\(name).json"), options: .atomic)
            } catch {
                throw StorageError.unavailable(underlying: "writing \(name).json: \(error)")
            }
            tables[name] = table
            return result
        }
    }

    private static func rows(_ name: String, _ tables: [String: Table]) throws -> Table {
        guard let table = tables[name] else { throw StorageError.invalid("Unknown table '\(name)'") }
        return table
    }

    /// A table's file.
    private struct FileContents: Codable {
        var runs: [Record]
        var audit: [AuditEntry]
    }

    /// An audit record in a file.
    private struct AuditEntry: Codable {
        var id: String
        var at: Int64
        var principal: String
        var requestID: String?
        var databaseID: String
        var table: String?
        var kind: String
        var idsCount: Int
        var idsSHA256: String
        var filter: String?
        var deleted: Int
        var ids: [String]?

        init(_ record: AuditRecord) {
            id = record.id; at = record.at; principal = record.principal; requestID = record.requestID
            databaseID = record.databaseID; table = record.table; kind = record.kind.rawValue; idsCount = record.idsCount
            idsSHA256 = record.idsSHA256; filter = record.filter; deleted = record.deleted; ids = record.ids
        }

        func record() throws -> AuditRecord {
            guard let kind = AuditKind(rawValue: kind) else { throw StorageError.internal(underlying: "unknown audit kind '\(kind)'") }
            return AuditRecord(
                id: id, at: at, principal: principal, requestID: requestID, databaseID: databaseID, table: table, kind: kind,
                idsCount: idsCount, idsSHA256: idsSHA256, filter: filter, deleted: deleted, ids: ids
            )
        }
    }

    /// The file format: one object per run; `eval_data` and `eval_input` as the JSON text the client wrote.
    private struct Record: Codable {
        var id: String
        var agentID, modelID, modelProvider, teamID, workflowID, name, evaluatedComponentName, userID: String?
        var evalType: String
        var evalData, evalInput: String
        var createdAt: Int64
        var updatedAt: Int64?

        init(_ run: EvalRun) {
            id = run.id; agentID = run.agentID; modelID = run.modelID; modelProvider = run.modelProvider
            teamID = run.teamID; workflowID = run.workflowID; name = run.name
            evaluatedComponentName = run.evaluatedComponentName; userID = run.userID
            evalType = run.evalType.rawValue; evalData = run.evalData.text; evalInput = run.evalInput.text
            createdAt = run.createdAt; updatedAt = run.updatedAt
        }

        var run: EvalRun {
            EvalRun(id: id, agentID: agentID, modelID: modelID, modelProvider: modelProvider, teamID: teamID,
                    workflowID: workflowID, name: name, evaluatedComponentName: evaluatedComponentName, userID: userID,
                    evalType: EvalType(rawValue: evalType), evalData: JSONText(stored: evalData), evalInput: JSONText(stored: evalInput),
                    createdAt: createdAt, updatedAt: updatedAt)
        }
    }
}
