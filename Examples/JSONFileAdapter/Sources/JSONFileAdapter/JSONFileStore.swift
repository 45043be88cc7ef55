public import EvalGatewayCore
import Foundation
import Synchronization

/// The store behind ``JSONFileAdapter``: rows in memory under one lock, each table's file rewritten
/// after every change while the lock is held, so the file and the memory never disagree. Ids are keyed
/// by their bytes (`BytewiseString`), and `eval_data`/`eval_input` are kept as the client's text.
public final class JSONFileStore: EvalRunStore {
    private typealias Rows = [BytewiseString: EvalRun]
    private let directory: URL
    private let tables: Mutex<[String: Rows]>

    /// Opens (creating) the directory and loads every table's file.
    public init(directory: String, tables: [String]) throws {
        self.directory = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        var loaded: [String: Rows] = [:]
        for table in tables {
            let file = self.directory.appendingPathComponent("\(table).json")
            let records = FileManager.default.fileExists(atPath: file.path)
                ? try JSONDecoder().decode([Record].self, from: Data(contentsOf: file)) : []
            loaded[table] = Dictionary(uniqueKeysWithValues: records.map { (BytewiseString($0.id), $0.run) })
        }
        self.tables = Mutex(loaded)
    }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let rows = try tables.withLock { try Self.rows(table, $0).values.filter(query.matches) }
        let sorted = rows.sorted(by: EvalRunOrdering(column: query.sortBy, order: query.sortOrder).areInIncreasingOrder)
        return EvalRunPage(runs: Array(sorted.dropFirst(query.offset).prefix(query.limit)), totalCount: sorted.count)
    }

    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        try tables.withLock { try Self.rows(table, $0)[BytewiseString(id)] }
    }

    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        try StoredText.validate(run)
        return try change(table) { rows in
            guard rows[BytewiseString(run.id)] == nil else { throw StorageError.conflict("An eval run with id '\(run.id)' already exists") }
            rows[BytewiseString(run.id)] = run
            return run
        }
    }

    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        try StoredText.validate(name, field: "name")
        return try change(table) { rows in
            guard var run = rows[BytewiseString(id)] else { throw StorageError.notFound("Eval run with id '\(id)' not found") }
            run.name = name
            run.updatedAt = timestamp
            rows[BytewiseString(id)] = run
            return run
        }
    }

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion {
        try StoredText.validate(ids: ids)
        return try change(table) { rows in
            var removed: [String] = []
            for id in ids where rows.removeValue(forKey: BytewiseString(id)) != nil { removed.append(id) }
            return EvalRunDeletion(deletedCount: removed.count, removedIDs: returningRemovedIDs ? removed : nil)
        }
    }

    public func ping() async throws {
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw StorageError.unavailable(underlying: "\(directory.path) is not writable")
        }
    }

    public func shutdown() async {}

    /// Applies `body` to a copy of the table, writes the file, then keeps the copy: a failed write
    /// changes nothing.
    private func change<T>(_ table: String, _ body: (inout Rows) throws -> T) throws -> T {
        try tables.withLock { tables in
            var rows = try Self.rows(table, tables)
            let result = try body(&rows)
            do {
                let data = try JSONEncoder().encode(rows.values.map(Record.init))
                try data.write(to: directory.appendingPathComponent("\(table).json"), options: .atomic)
            } catch {
                throw StorageError.unavailable(underlying: "writing \(table).json: \(error)")
            }
            tables[table] = rows
            return result
        }
    }

    private static func rows(_ table: String, _ tables: [String: Rows]) throws -> Rows {
        guard let rows = tables[table] else { throw StorageError.invalid("Unknown table '\(table)'") }
        return rows
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
