import CSQLite

/// One SQLite connection: owns its `sqlite3*` handle and closes it when released.
///
/// Not thread-safe (SQLite's multi-thread mode): a connection is used from one thread at a time, which
/// ``SQLiteConnectionQueue`` guarantees. Its ``interrupter`` may be used from any thread: SQLite's
/// progress handler asks it, every few thousand virtual-machine steps, whether the running statement
/// must stop (its caller went away, or its deadline passed).
package final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statementCache: [String: SQLiteStatement] = [:]
    /// Cached statements handed out since the last ``resetStatementsInUse()``.
    private var statementsInUse: [SQLiteStatement] = []
    /// Stops running statements on request; shared with the progress handler.
    let interrupter = SQLiteInterrupter()

    /// The virtual-machine steps between two questions to the ``interrupter``.
    static let progressInterval: Int32 = 4000

    /// Opens (creating if needed, unless `readOnly`) the database file at `path`.
    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message, sql: nil)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_progress_handler(handle, Self.progressInterval, { context in
            guard let context else { return 0 }
            return Unmanaged<SQLiteInterrupter>.fromOpaque(context).takeUnretainedValue().shouldInterrupt ? 1 : 0
        }, Unmanaged.passUnretained(interrupter).toOpaque())
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Whether the connection is outside any transaction (`sqlite3_get_autocommit`). Inside a transaction
    /// it turns true when SQLite rolled the transaction back on its own (disk full, I/O error, out of memory).
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Waits up to `milliseconds` for a lock held by another connection before failing with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs one or more statements that return no rows.
    package func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code: code, sql: sql) }
    }

    /// A prepared statement for `sql`, reused across calls; it is reset and its bindings cleared, and it
    /// is reset again by the next ``resetStatementsInUse()``.
    func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        let statement: SQLiteStatement
        if let cached = statementCache[sql] {
            cached.reset()
            statement = cached
        } else {
            statement = try prepare(sql)
            statementCache[sql] = statement
        }
        statementsInUse.append(statement)
        return statement
    }

    /// Resets every cached statement handed out since the last call. A statement that stopped before its
    /// last row keeps its read transaction open: the connection would go on reading that old snapshot
    /// (missing what other connections committed since) and hold back WAL checkpoints.
    func resetStatementsInUse() {
        for statement in statementsInUse { statement.reset() }
        statementsInUse.removeAll(keepingCapacity: true)
    }

    /// Prepares `sql` (one statement).
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code: code, sql: sql) }
        return SQLiteStatement(handle: statement, connection: self, sql: sql)
    }

    /// How a transaction takes its locks.
    enum TransactionKind: String {
        /// Reads see one snapshot; the write lock is taken at the first write.
        case deferred = "DEFERRED"
        /// The write lock is taken up front, so a busy database is waited for at the start, not midway.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in a transaction; rolls back if `body` throws.
    func inTransaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The number of rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The error for `code`, with the connection's current message.
    func error(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
