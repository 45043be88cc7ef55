import CSQLite
import Foundation

/// A second, plain connection to a test's SQLite file, as another program (Agno, the `sqlite3` tool) would
/// open it: to write a file before the gateway sees it, and to read back what the gateway left.
final class SQLiteTestFile {
    let path: String
    private var handle: OpaquePointer?

    /// Opens (creating) the file at `path`, creating its folder.
    init(_ path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard sqlite3_open(path, &handle) == SQLITE_OK else { throw Failure(message: "cannot open \(path)") }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            defer { sqlite3_free(message) }
            throw Failure(message: message.map { String(cString: $0) } ?? "error")
        }
    }

    /// The rows of a query, every column as text (`nil` for NULL).
    func rows(_ sql: String) throws -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw Failure(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) }
            })
        }
        return rows
    }

    /// The first column of the first row.
    func value(_ sql: String) throws -> String? { try rows(sql).first?.first ?? nil }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
