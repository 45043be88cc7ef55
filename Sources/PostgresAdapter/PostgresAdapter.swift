public import EvalGatewayCore
public import Logging

/// The `postgres` adapter kind: eval runs in PostgreSQL through libpq, in Agno's schema.
///
/// Options:
/// - `url` (required): a libpq URI (`postgresql://user:password@host:5432/db`) or conninfo string;
///   `${ENV}` references are expanded by the configuration loader.
/// - `schema` (default `ai`): the schema of tables named without one.
/// - `create_tables` (default `true`): create the schema, tables and indexes when missing. An existing
///   table, such as one Agno created, is served as it is.
/// - `max_connections` (default 8): the size of the connection pool.
/// - `connect_timeout_seconds` (default 5, or the URL's `connect_timeout`): the limit on opening a connection.
/// - `statement_timeout_ms` (default 30000; 0 = none): the server-side limit on one statement.
/// - `pool_timeout_ms` (default 5000): how long an operation waits for a free connection before the
///   database is reported unavailable.
/// - `idle_timeout_seconds` (default 300): connections unused this long are closed.
///
/// Nothing connects until the first request, so a server that is down at start does not keep the
/// gateway from starting: its routes answer unavailable until it is back.
public struct PostgresAdapter: StorageAdapter {
    /// Creates the adapter kind.
    public init() {}

    /// `postgres`.
    public var kind: String { "postgres" }

    /// `url`, `schema`, `create_tables`, `max_connections`, `connect_timeout_seconds`, `statement_timeout_ms`,
    /// `pool_timeout_ms`, `idle_timeout_seconds`.
    public var optionKeys: Set<String> {
        ["url", "schema", "create_tables", "max_connections", "connect_timeout_seconds", "statement_timeout_ms", "pool_timeout_ms", "idle_timeout_seconds"]
    }

    /// Checks the options, the URL's syntax (without connecting) and the table names.
    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {
        _ = try settings(for: configuration)
    }

    /// Makes the store; connects to nothing (see ``PostgresEvalRunStore``).
    public func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore {
        try await makeStore(for: configuration, environment: StoreEnvironment(logger: logger))
    }

    /// Makes the store; connects to nothing until the first operation, and each connection it opens is
    /// counted against the gateway's connection budget.
    public func makeStore(for configuration: DatabaseConfiguration, environment: StoreEnvironment) async throws -> any EvalRunStore {
        let settings = try settings(for: configuration)
        var storeLogger = environment.logger
        storeLogger[metadataKey: "db_id"] = "\(configuration.id)"
        return try PostgresEvalRunStore(settings: settings, tables: configuration.tables, logger: storeLogger, budget: environment.connectionBudget)
    }

    /// The typed settings of a database entry; throws a ``ConfigurationError`` naming the bad key.
    public func settings(for configuration: DatabaseConfiguration) throws(ConfigurationError) -> PostgresStoreSettings {
        let options = configuration.options
        let url = try options.requiredString("url")
        guard PostgresConnectionParameters.isValidConnectionString(url) else {
            throw ConfigurationError(
                key: "\(options.path).url",
                problem: "is not a libpq connection URI or conninfo string (e.g. postgresql://user:password@host:5432/db, or host=… dbname=…)"
            )
        }
        let schema = try options.string("schema") ?? "ai"
        if let problem = PostgresIdentifier.problem(with: schema) {
            throw ConfigurationError(key: "\(options.path).schema", problem: problem)
        }
        for (index, table) in configuration.tables.enumerated() {
            _ = try PostgresIdentifier.split(table: table, defaultSchema: schema, key: "\(options.path).tables[\(index)]")
        }
        var settings = PostgresStoreSettings(url: url, schema: schema, applicationName: "evalgw:" + configuration.id)
        settings.createTables = try options.bool("create_tables") ?? true
        settings.maxConnections = try options.integer("max_connections", in: 1...1000) ?? 8
        settings.connectTimeoutSeconds = try options.integer("connect_timeout_seconds", in: 1...3600)
        settings.statementTimeoutMilliseconds = try options.integer("statement_timeout_ms", in: 0...86_400_000) ?? 30_000
        settings.poolTimeoutMilliseconds = try options.integer("pool_timeout_ms", in: 0...3_600_000) ?? 5_000
        settings.idleTimeoutSeconds = try options.integer("idle_timeout_seconds", in: 1...86_400) ?? 300
        return settings
    }
}
