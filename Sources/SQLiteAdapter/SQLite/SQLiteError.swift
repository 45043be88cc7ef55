/// An error reported by SQLite: its result code and message, and the statement that failed.
///
/// The message and SQL are for logs; the storage layer maps the code to a ``StorageError`` for clients.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The (extended) SQLite result code, e.g. 5 for `SQLITE_BUSY`, 19 for `SQLITE_CONSTRAINT`.
    public let code: Int32
    /// SQLite's message.
    public let message: String
    /// The SQL that failed, if any.
    public let sql: String?

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " — while executing `\($0)`" } ?? "")
    }
}
