/// How a ``PostgresEvalRunStore`` reaches its database and sizes its pool: the adapter's options, typed.
public struct PostgresStoreSettings: Sendable, Equatable {
    /// The server: a libpq URI (`postgresql://user:password@host:5432/db?sslmode=require`) or a conninfo
    /// string (`host=… dbname=…`).
    public var url: String
    /// The schema of tables named without one (Agno's default: `ai`).
    public var schema: String
    /// Whether missing schemas, tables and their indexes are created (in Agno's layout).
    public var createTables: Bool
    /// The most connections the store opens at once.
    public var maxConnections: Int
    /// How long opening a connection may take, in seconds; `nil` uses 5 unless the URL sets
    /// `connect_timeout` (libpq treats values below 2 as 2).
    public var connectTimeoutSeconds: Int?
    /// `statement_timeout` for every connection, in milliseconds; 0 means none.
    public var statementTimeoutMilliseconds: Int
    /// How long an operation waits for a free connection before failing as unavailable, in milliseconds.
    public var poolTimeoutMilliseconds: Int
    /// How long a connection may stay unused before it is closed, in seconds.
    public var idleTimeoutSeconds: Int
    /// The `application_name` the server shows for the store's sessions, unless the URL sets one.
    public var applicationName: String
    /// libpq keywords that override the URL (tests point a store at another database with `dbname`).
    package var connectionOverrides: [String: String] = [:]

    /// Settings with the adapter's defaults: schema `ai`, tables created, 8 connections, a 30 s statement
    /// timeout, a 5 s wait for a free connection, idle connections closed after 300 s.
    public init(
        url: String,
        schema: String = "ai",
        createTables: Bool = true,
        maxConnections: Int = 8,
        connectTimeoutSeconds: Int? = nil,
        statementTimeoutMilliseconds: Int = 30_000,
        poolTimeoutMilliseconds: Int = 5_000,
        idleTimeoutSeconds: Int = 300,
        applicationName: String = "evalgw"
    ) {
        self.url = url
        self.schema = schema
        self.createTables = createTables
        self.maxConnections = maxConnections
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.poolTimeoutMilliseconds = poolTimeoutMilliseconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.applicationName = applicationName
    }

    /// The libpq parameters: defaults the URL may override, the URL, then what overrides it.
    var connectionParameters: PostgresConnectionParameters {
        var defaults: [(String, String)] = [
            ("fallback_application_name", applicationName),
            ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
        ]
        var overrides: [(String, String)] = [("client_encoding", "UTF8")]
        if let connectTimeoutSeconds {
            overrides.append(("connect_timeout", String(connectTimeoutSeconds)))
        } else {
            defaults.append(("connect_timeout", "5"))
        }
        overrides += connectionOverrides.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return PostgresConnectionParameters(
            url: url, defaults: defaults, overrides: overrides, statementTimeoutMilliseconds: statementTimeoutMilliseconds
        )
    }
}
