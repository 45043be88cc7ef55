/// An error reported by libpq or by the PostgreSQL server: what failed, the server's SQLSTATE when it
/// sent one, its message, and the statement that failed.
///
/// The message and SQL are for logs only; ``PostgresEvalRunStore`` maps the error to a `StorageError`
/// whose client-facing text never contains them. Parameter values are never recorded.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Where the failure happened.
    public enum Kind: Sendable, Equatable {
        /// No connection could be opened (refused, unreachable, timed out, authentication, no such database).
        case connect
        /// The connection broke while a statement was sent or run (server gone, network dropped).
        case connectionLost
        /// The server refused or aborted the statement and said why (see ``PostgresError/sqlState``).
        case server
        /// libpq itself failed (out of memory, an unexpected result status).
        case client
    }

    /// Where the failure happened.
    public let kind: Kind
    /// The five-character SQLSTATE the server sent (e.g. `23505`), if any.
    public let sqlState: String?
    /// What libpq or the server said, trimmed.
    public let message: String
    /// The SQL that failed, if any (never its parameter values).
    public let sql: String?

    /// Creates an error.
    public init(kind: Kind, sqlState: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// The SQLSTATE class: its first two characters (e.g. `08` for connection exceptions).
    public var sqlStateClass: String? { sqlState.map { String($0.prefix(2)) } }

    /// Whether the failure is about reaching the server rather than about the statement: no connection,
    /// a lost one, or one of the SQLSTATEs a server sends as it goes away or cannot take the session
    /// (class 08, `57P01`–`57P03`, class 53).
    public var isConnectionFailure: Bool {
        switch kind {
        case .connect, .connectionLost: return true
        case .client: return false
        case .server:
            guard let sqlState else { return false }
            return sqlStateClass == "08" || sqlStateClass == "53" || Self.serverGoingAway.contains(sqlState)
        }
    }

    /// Whether the server said it is terminating the session (`57P01` admin shutdown, `57P02` crash
    /// shutdown, `57P03` cannot connect now). A statement answered this way did not commit.
    public var isServerTermination: Bool { sqlState.map(Self.serverGoingAway.contains) ?? false }

    /// Whether the statement lost a race it may simply retry: a deadlock (`40P01`) or a serialization
    /// failure (`40001`). The server rolled the statement back.
    public var isTransientConflict: Bool { sqlState == "40P01" || sqlState == "40001" }

    static let serverGoingAway: Set<String> = ["57P01", "57P02", "57P03"]

    /// The kind, SQLSTATE, message and SQL, for logs.
    public var description: String {
        let label: String
        switch kind {
        case .connect: label = "cannot connect"
        case .connectionLost: label = "connection lost"
        case .server: label = "server error"
        case .client: label = "libpq error"
        }
        return "PostgreSQL \(label)\(sqlState.map { " [\($0)]" } ?? ""): \(message)" + (sql.map { " — while executing `\($0)`" } ?? "")
    }
}
