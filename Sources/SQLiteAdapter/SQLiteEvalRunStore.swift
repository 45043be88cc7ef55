import CSQLite
public import EvalGatewayCore
import Foundation

/// An eval-runs store over one SQLite file.
///
/// - Nothing is opened when the store is made: the first operation opens the file (creating its folder,
///   WAL mode, `synchronous=FULL`, missing tables), so thousands of registered files cost nothing until
///   used. Connections unused for ``SQLiteStoreSettings/idleTimeoutSeconds`` are closed.
/// - One writer connection: creates, renames and deletes that arrive while it is busy share the next
///   commit (``SQLiteWriteBatcher``), each in its own savepoint.
/// - Reads (list, get, ping) run on a pool of read-only connections beside it: in WAL mode a read sees
///   the last commit and never waits for the writer's fsync. A read is interrupted (SQLite's progress
///   handler) when its caller goes away or after ``SQLiteStoreSettings/statementTimeoutMilliseconds``.
/// - A bulk delete is one statement with one parameter — the ids as a JSON array read through
///   `json_each` — so no number of ids reaches SQLite's bound-variable limit, and it is atomic.
public final class SQLiteEvalRunStore: EvalRunStore, PoolStatisticsReporting {
    private let database: SQLiteDatabase
    private let statements: [String: TableStatements]
    /// The database's batch-evaluation jobs, in the same file.
    let jobs: SQLiteBatchEvaluationStore

    /// A store over `settings.path` and `tables`; opens nothing until first used.
    /// - Parameters:
    ///   - clock: times idle connections and waits (tests pass a ``ManualClock``).
    ///   - budget: asked before each connection is opened.
    public init(
        settings: SQLiteStoreSettings,
        tables: [String],
        clock: AnyClock = .continuous,
        budget: any ConnectionBudget = UnlimitedConnectionBudget()
    ) {
        let statements = Dictionary(uniqueKeysWithValues: Set(tables).map { ($0, TableStatements(table: $0)) })
        let schema = statements.values.sorted { $0.table < $1.table }.map(\.createTable)
            + [SQLiteBatchEvaluationStore.createTable, SQLiteAuditTrail.createTable]
        self.statements = statements
        self.database = SQLiteDatabase(settings: settings, schema: schema, clock: clock, budget: budget)
        self.jobs = SQLiteBatchEvaluationStore(database: database)
    }

    /// A store over the file at `path` with the adapter's default settings.
    public convenience init(path: String, tables: [String]) {
        self.init(settings: SQLiteStoreSettings(path: path), tables: tables)
    }

    /// The writer's and the read connections together: in use, idle, and operations waiting.
    public var poolStatistics: PoolStatistics { database.statistics }

    /// The file's connections (for tests and diagnostics).
    package var connections: SQLiteDatabase { database }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let sql = try statements(for: table)
        let (filter, values) = Self.filter(query)
        let countSQL = sql.count + filter
        let listSQL = sql.select + filter + Self.orderBy(query) + " LIMIT ? OFFSET ?"
        let pageValues = values + [.integer(Int64(query.limit)), .integer(Int64(query.offset))]
        return try await read { connection in
            try connection.inTransaction(.deferred) {
                let count = try connection.cachedStatement(countSQL)
                try count.bind(values)
                _ = try count.step()
                let total = Int(count.int64(0))
                let list = try connection.cachedStatement(listSQL)
                try list.bind(pageValues)
                var runs: [EvalRun] = []
                while try list.step() { runs.append(Self.evalRun(from: list)) }
                return EvalRunPage(runs: runs, totalCount: total)
            }
        }
    }

    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        let sql = try statements(for: table).selectByID
        return try await read { connection in
            let statement = try connection.cachedStatement(sql)
            try statement.bind([.text(id)])
            return try statement.step() ? Self.evalRun(from: statement) : nil
        }
    }

    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        let sql = try statements(for: table).insert
        try StoredText.validate(run)
        let values = TableStatements.Column.allCases.map { Self.value(of: run, $0) }
        let id = run.id
        try await write { connection in
            do {
                try connection.cachedStatement(sql).run(values)
            } catch let error as SQLiteError where error.primaryCode == SQLITE_CONSTRAINT {
                throw StorageError.conflict("An eval run with id '\(id)' already exists")
            }
        }
        return run
    }

    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        let sql = try statements(for: table).rename
        try StoredText.validate(name, field: "name")
        let renamed = try await write { connection -> EvalRun? in
            let statement = try connection.cachedStatement(sql)
            try statement.bind([.text(name), .integer(timestamp), .text(id)])
            guard try statement.step() else { return nil }
            let run = Self.evalRun(from: statement)
            while try statement.step() {}
            return run
        }
        guard let renamed else { throw StorageError.notFound("Eval run with id '\(id)' not found") }
        return renamed
    }

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
        let table = try statements(for: table)
        try StoredText.validate(ids: ids)
        var writer = JSONWriter(capacity: ids.count * 40 + 2)
        writer.write(strings: ids)
        let idArray = writer.text
        let sql = returningRemovedIDs ? table.deleteReturning : table.delete
        return try await write { connection in
            let statement = try connection.cachedStatement(sql)
            try statement.bind([.text(idArray)])
            let deletion: EvalRunDeletion
            if returningRemovedIDs {
                var removed: [String] = []
                while try statement.step() { removed.append(statement.text(0)) }
                deletion = EvalRunDeletion(deletedCount: removed.count, removedIDs: removed)
            } else {
                while try statement.step() {}
                deletion = EvalRunDeletion(deletedCount: connection.changes)
            }
            try SQLiteAuditTrail.insert(audit.deleting(deletion.deletedCount), on: connection)
            return deletion
        }
    }

    /// One batch: `DELETE … WHERE run_id IN (SELECT run_id … WHERE <filter> LIMIT ?) RETURNING run_id`, then
    /// (when the batch is full) whether a matching row is left, then the audit record, in one savepoint.
    public func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
        let statements = try statements(for: table)
        try filter.validate()
        let (condition, values) = Self.condition(filter)
        let deleteSQL = "DELETE FROM \(statements.quoted) WHERE run_id IN (SELECT run_id FROM \(statements.quoted) WHERE \(condition) LIMIT ?) RETURNING run_id"
        let existsSQL = "SELECT EXISTS (SELECT 1 FROM \(statements.quoted) WHERE \(condition))"
        return try await write { connection in
            let delete = try connection.cachedStatement(deleteSQL)
            try delete.bind(values + [.integer(Int64(max(0, limit)))])
            var removed: [String] = []
            while try delete.step() { removed.append(delete.text(0)) }
            var hasMore = false
            if removed.count >= limit {
                let exists = try connection.cachedStatement(existsSQL)
                try exists.bind(values)
                hasMore = try exists.step() && exists.int64(0) != 0
            }
            try SQLiteAuditTrail.insert(audit.deleting(ids: removed), on: connection)
            return EvalRunBatchDeletion(deletedCount: removed.count, hasMore: hasMore)
        }
    }

    public func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
        let statements = try statements(for: table)
        try filter.validate()
        let (condition, values) = Self.condition(filter)
        let sql = statements.count + " WHERE " + condition
        return try await read { connection in
            let count = try connection.cachedStatement(sql)
            try count.bind(values)
            _ = try count.step()
            return Int(count.int64(0))
        }
    }

    public func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
        try await read { connection in try SQLiteAuditTrail.page(matching: query, on: connection) }
    }

    public func ping() async throws {
        try await read { connection in try connection.cachedStatement("SELECT 1").run() }
    }

    /// Closes every connection once its queued work is done (the writer after `PRAGMA optimize`).
    public func shutdown() async {
        await database.shutdown()
    }

    // MARK: - Helpers

    private func statements(for table: String) throws -> TableStatements {
        guard let statements = statements[table] else { throw StorageError.invalid("Unknown table '\(table)'") }
        return statements
    }

    /// Runs `body` on a read connection, turning SQLite errors into storage errors.
    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs the write `body` in its own savepoint, sharing a commit with the writes queued beside it
    /// (``SQLiteWriteBatcher``), and turns SQLite errors into storage errors.
    private func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Busy, locked, I/O, full-disk and can't-open errors mean the backend is unavailable; the rest are
    /// internal. The SQLite text goes to the log only.
    static func storageError(_ error: any Error) -> StorageError {
        guard let error = error as? SQLiteError else { return StorageError(error) }
        switch error.primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY:
            return .unavailable(underlying: error.description, retryAfter: 1)
        default:
            return .internal(underlying: error.description)
        }
    }

    private static func text(_ value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }

    /// The WHERE clause of a list (empty without filters) and its values.
    private static func filter(_ query: EvalRunQuery) -> (String, [SQLiteValue]) {
        let (sql, values) = query.conditions.sql(SQLiteDialect())
        return (sql.isEmpty ? "" : " WHERE " + sql, values.map(SQLiteDialect.value))
    }

    /// The WHERE condition of a delete by filter, and its values (the filter is not empty).
    static func condition(_ filter: EvalRunFilter) -> (String, [SQLiteValue]) {
        let (sql, values) = filter.conditions.sql(SQLiteDialect())
        return (sql, values.map(SQLiteDialect.value))
    }

    private static func orderBy(_ query: EvalRunQuery) -> String {
        let direction = query.sortOrder == .ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST"
        let tieBreak = query.sortOrder == .ascending ? "ASC" : "DESC"
        let column = query.sortBy.rawValue
        return column == "run_id" ? " ORDER BY run_id \(tieBreak)" : " ORDER BY \(column) \(direction), run_id \(tieBreak)"
    }

    /// The run in the statement's current row.
    private static func evalRun(from statement: SQLiteStatement) -> EvalRun {
        let row = SQLiteRow<TableStatements.Column>(statement: statement)
        return EvalRun(
            id: row.text(.runID),
            agentID: row.optionalText(.agentID),
            modelID: row.optionalText(.modelID),
            modelProvider: row.optionalText(.modelProvider),
            teamID: row.optionalText(.teamID),
            workflowID: row.optionalText(.workflowID),
            name: row.optionalText(.name),
            evaluatedComponentName: row.optionalText(.evaluatedComponentName),
            userID: row.optionalText(.userID),
            evalType: EvalType(rawValue: row.text(.evalType)),
            evalData: Self.json(row.optionalText(.evalData)),
            evalInput: Self.json(row.optionalText(.evalInput)),
            createdAt: row.int64(.createdAt),
            updatedAt: row.optionalInt64(.updatedAt)
        )
    }

    /// The value `run` stores in `column`.
    private static func value(of run: EvalRun, _ column: TableStatements.Column) -> SQLiteValue {
        switch column {
        case .runID: .text(run.id)
        case .agentID: text(run.agentID)
        case .modelID: text(run.modelID)
        case .modelProvider: text(run.modelProvider)
        case .teamID: text(run.teamID)
        case .workflowID: text(run.workflowID)
        case .name: text(run.name)
        case .evaluatedComponentName: text(run.evaluatedComponentName)
        case .userID: text(run.userID)
        case .evalType: .text(run.evalType.rawValue)
        case .evalData: .text(run.evalData.text)
        case .evalInput: .text(run.evalInput.text)
        case .createdAt: .integer(run.createdAt)
        case .updatedAt: run.updatedAt.map(SQLiteValue.integer) ?? .null
        }
    }

    /// Stored JSON text, served as it was written; text that is not JSON (written by another tool) is
    /// served as a JSON string.
    private static func json(_ text: String?) -> JSONText {
        guard let text else { return .null }
        return JSONText(stored: text)
    }
}

/// The SQL of one registered table, built once from its configured name.
struct TableStatements: Sendable {
    let table: String
    /// The table's name, quoted (and schema-qualified when configured so).
    let quoted: String
    let createTable: String
    let count: String
    let select: String
    let selectByID: String
    let insert: String
    let rename: String
    let delete: String
    let deleteReturning: String

    /// The columns of an eval-runs table, in the order statements select and insert them.
    typealias Column = EvalRunTableColumn

    static let columns = Column.nameList

    init(table: String) {
        self.table = table
        let parts = table.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let quoted = parts.map(Self.quote).joined(separator: ".")
        self.quoted = quoted
        let schemaPrefix = parts.count > 1 ? parts.dropLast().map(Self.quote).joined(separator: ".") + "." : ""
        let bareName = parts.last!
        let quotedBare = Self.quote(bareName)
        createTable = """
            CREATE TABLE IF NOT EXISTS \(quoted) (
                run_id VARCHAR NOT NULL PRIMARY KEY,
                eval_type VARCHAR NOT NULL,
                eval_data JSON NOT NULL,
                eval_input JSON NOT NULL,
                name VARCHAR,
                agent_id VARCHAR,
                team_id VARCHAR,
                workflow_id VARCHAR,
                model_id VARCHAR,
                model_provider VARCHAR,
                evaluated_component_name VARCHAR,
                user_id VARCHAR,
                created_at BIGINT NOT NULL,
                updated_at BIGINT
            );
            CREATE INDEX IF NOT EXISTS \(schemaPrefix)\(Self.quote("idx_\(bareName)_created_at")) ON \(quotedBare) (created_at);
            CREATE INDEX IF NOT EXISTS \(schemaPrefix)\(Self.quote("idx_\(bareName)_user_id")) ON \(quotedBare) (user_id);
            """
        count = "SELECT COUNT(*) FROM \(quoted)"
        select = "SELECT \(Self.columns) FROM \(quoted)"
        selectByID = "SELECT \(Self.columns) FROM \(quoted) WHERE run_id = ?"
        insert = "INSERT INTO \(quoted) (\(Column.nameList)) VALUES (\(Column.placeholders))"
        rename = "UPDATE \(quoted) SET name = ?, updated_at = ? WHERE run_id = ? RETURNING \(Self.columns)"
        delete = "DELETE FROM \(quoted) WHERE run_id IN (SELECT value FROM json_each(?))"
        deleteReturning = delete + " RETURNING run_id"
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
