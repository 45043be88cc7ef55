import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What libpq needs to open a connection: keyword/value pairs for `PQconnectdbParams` (the configured
/// URL or conninfo string goes in as an expanded `dbname`), and settings applied once connected.
package struct PostgresConnectionParameters: Sendable {
    /// Keyword/value pairs, in order; for a repeated keyword the last non-empty value wins, so pairs
    /// before the URL are defaults it may override and pairs after it override it.
    package var pairs: [(keyword: String, value: String)]
    /// `statement_timeout` set on every new connection, in milliseconds; `nil` leaves the server's.
    package var statementTimeoutMilliseconds: Int?

    /// Parameters for `url` (a `postgresql://` URI or a `key=value` conninfo string).
    /// - Parameters:
    ///   - defaults: pairs the URL may override.
    ///   - overrides: pairs that override the URL.
    package init(url: String, defaults: [(String, String)] = [], overrides: [(String, String)] = [], statementTimeoutMilliseconds: Int? = nil) {
        pairs = defaults.map { (keyword: $0.0, value: $0.1) } + [(keyword: "dbname", value: url)] + overrides.map { (keyword: $0.0, value: $0.1) }
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// Whether libpq can parse `url` as a connection URI or conninfo string.
    package static func isValidConnectionString(_ url: String) -> Bool {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(url, &errorMessage)
        if let errorMessage { PQfreemem(errorMessage) }
        guard let options else { return false }
        PQconninfoFree(options)
        return true
    }
}

/// One libpq connection: owns its `PGconn*` and closes it (`PQfinish`) when released.
///
/// Not thread-safe: a connection is used from one thread at a time, which ``PostgresConnectionWorker``
/// guarantees by confining it to a serial dispatch queue. Every call blocks; none may run on Swift's
/// cooperative pool or on an event loop. NOTICE messages are swallowed instead of printed to stderr.
package final class PostgresConnection {
    let handle: OpaquePointer
    /// Prepared statement names by SQL.
    private var preparedStatements: [String: String] = [:]
    private var nextStatementNumber = 0
    /// Whether a statement has run on this connection (so a failure may be a stale connection's).
    package private(set) var hasBeenUsed = false

    /// The most statements kept prepared per connection; past it, statements run unprepared.
    static let preparedStatementLimit = 256

    /// Opens a connection (blocking; bounded by `connect_timeout`), then applies the session settings.
    package init(parameters: PostgresConnectionParameters) throws(PostgresError) {
        let keywords = parameters.pairs.map { strdup($0.keyword) }
        let values = parameters.pairs.map { strdup($0.value) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(kind: .connect, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(kind: .connect, message: message)
        }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
        if let timeout = parameters.statementTimeoutMilliseconds {
            _ = try execute("SELECT set_config('statement_timeout', $1, false)", [String(timeout)])
        }
        hasBeenUsed = false
    }

    deinit { PQfinish(handle) }

    /// The process id of the server backend serving this connection.
    package var backendProcessID: Int32 { PQbackendPID(handle) }

    /// Whether libpq knows the connection is broken.
    package var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Whether the connection looks fit for a new statement: open, outside any transaction, and with
    /// nothing waiting on its socket. An idle session receives nothing unasked, so readable data means
    /// the server ended it (`pg_terminate_backend`, a shutdown) or the socket was closed.
    package var isReusable: Bool {
        guard PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Runs one statement with its parameters bound (text format; `nil` is NULL), unprepared.
    @discardableResult
    package func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        hasBeenUsed = true
        let result = withParameters(parameters) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try check(result, sql: sql)
    }

    /// Runs one statement with its parameters bound, preparing it on first use and reusing the prepared
    /// statement afterwards (until ``preparedStatementLimit`` statements are prepared).
    @discardableResult
    package func executePrepared(_ sql: String, _ parameters: [String?]) throws(PostgresError) -> PostgresResult {
        hasBeenUsed = true
        let name: String
        if let existing = preparedStatements[sql] {
            name = existing
        } else if preparedStatements.count < Self.preparedStatementLimit {
            nextStatementNumber += 1
            name = "evalgw_\(nextStatementNumber)"
            _ = try check(PQprepare(handle, name, sql, Int32(parameters.count), nil), sql: sql)
            preparedStatements[sql] = name
        } else {
            return try execute(sql, parameters)
        }
        let result = withParameters(parameters) { values in
            PQexecPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        }
        do throws(PostgresError) {
            return try check(result, sql: sql)
        } catch where error.sqlState == "0A000" || error.sqlState == "26000" {
            // The table changed shape under the cached plan, or the statement is gone: forget it and run
            // the statement unprepared this once.
            preparedStatements[sql] = nil
            _ = try? execute("DEALLOCATE \(name)")
            return try execute(sql, parameters)
        }
    }

    /// Runs `body` in a transaction; rolls back if it throws.
    package func inTransaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if !isBroken { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Helpers

    /// Calls `body` with the parameters as C strings (NULL pointers for `nil`), freed afterwards.
    private func withParameters<R>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    /// Turns a libpq result into a ``PostgresResult`` or a ``PostgresError``; always clears failed results.
    private func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresResult {
        guard let result else {
            throw PostgresError(kind: isBroken ? .connectionLost : .client, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(handle: result)
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            var message = Self.trimmed(PQresultErrorMessage(result))
            if message.isEmpty { message = Self.trimmed(PQerrorMessage(handle)) }
            PQclear(result)
            let kind: PostgresError.Kind = sqlState != nil ? .server : (isBroken ? .connectionLost : .client)
            throw PostgresError(kind: kind, sqlState: sqlState, message: message, sql: sql)
        }
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var message = String(cString: text)
        while let last = message.last, last.isWhitespace { message.removeLast() }
        return message
    }
}
