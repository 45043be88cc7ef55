public import EvalGatewayCore
public import Logging

/// The `sqlite` adapter kind: eval runs in an SQLite file, in Agno's `agno_eval_runs` schema.
///
/// Options:
/// - `path` (required): the file; parent folders are created when it is first opened.
/// - `busy_timeout_ms` (default 5000): how long a statement waits for another process's lock.
/// - `read_connections` (default 4): read-only connections beside the one writer.
/// - `idle_timeout_seconds` (default 300): connections unused this long are closed.
/// - `pool_timeout_ms` (default 5000): how long a read waits for a free read connection.
/// - `statement_timeout_ms` (default 30000; 0 = none): reads running longer are interrupted.
///
/// Nothing is opened until the first request: the file is then opened in WAL mode with
/// `synchronous=FULL`, missing tables and indexes are created, and an existing Agno-made file is served
/// as it is.
public struct SQLiteAdapter: StorageAdapter {
    /// Creates the adapter kind.
    public init() {}

    public var kind: String { "sqlite" }
    public var optionKeys: Set<String> {
        ["path", "busy_timeout_ms", "read_connections", "idle_timeout_seconds", "pool_timeout_ms", "statement_timeout_ms"]
    }

    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {
        _ = try settings(for: configuration)
        for (index, table) in configuration.tables.enumerated() where table.contains("\"") || table.contains("\0") {
            throw ConfigurationError(key: "\(configuration.options.path).tables[\(index)]", problem: "'\(table)' is not a usable table name")
        }
    }

    /// Makes the store; opens nothing (see ``SQLiteEvalRunStore``).
    public func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore {
        try await makeStore(for: configuration, environment: StoreEnvironment(logger: logger))
    }

    /// Opens nothing: the file is created and opened on the first operation, each connection counted
    /// against the gateway's connection budget.
    public func makeStore(for configuration: DatabaseConfiguration, environment: StoreEnvironment) async throws -> any EvalRunStore {
        try validate(configuration)
        return SQLiteEvalRunStore(settings: try settings(for: configuration), tables: configuration.tables, budget: environment.connectionBudget)
    }

    /// The typed settings of a database entry; throws a ``ConfigurationError`` naming the bad key.
    public func settings(for configuration: DatabaseConfiguration) throws(ConfigurationError) -> SQLiteStoreSettings {
        let options = configuration.options
        var settings = SQLiteStoreSettings(path: try options.requiredString("path"))
        settings.busyTimeoutMilliseconds = try options.integer("busy_timeout_ms", in: 0...600_000) ?? settings.busyTimeoutMilliseconds
        settings.readConnections = try options.integer("read_connections", in: 1...64) ?? settings.readConnections
        settings.idleTimeoutSeconds = try options.integer("idle_timeout_seconds", in: 1...86_400) ?? settings.idleTimeoutSeconds
        settings.poolTimeoutMilliseconds = try options.integer("pool_timeout_ms", in: 0...3_600_000) ?? settings.poolTimeoutMilliseconds
        settings.statementTimeoutMilliseconds = try options.integer("statement_timeout_ms", in: 0...86_400_000) ?? settings.statementTimeoutMilliseconds
        return settings
    }
}
