public import CoreMetrics
public import Logging

/// A database the gateway serves: its configuration and its open store.
public struct RegisteredDatabase: Sendable {
    /// The database entry from configuration.
    public let configuration: DatabaseConfiguration
    /// The store that serves it.
    public let store: any EvalRunStore

    /// The `db_id`.
    public var id: String { configuration.id }
    /// The adapter kind.
    public var adapter: String { configuration.adapter }

    /// Pairs an entry with its store.
    public init(configuration: DatabaseConfiguration, store: any EvalRunStore) {
        self.configuration = configuration
        self.store = store
    }
}

/// The target of one request: a registered database and one of its registered tables.
public struct ResolvedTable: Sendable {
    /// The database.
    public let database: RegisteredDatabase
    /// The table, one of the database's registered names.
    public let table: String

    /// The store to run the operation on.
    public var store: any EvalRunStore { database.store }
}

/// Why a request's `db_id`/`table` did not resolve, with the exact message of DESIGN §3.
public enum ResolutionError: Error, Sendable, Equatable {
    /// The request is ambiguous or incomplete (HTTP 400).
    case badRequest(String)
    /// The database or table does not exist (HTTP 404).
    case notFound(String)

    /// The message for the client.
    public var message: String {
        switch self {
        case .badRequest(let message), .notFound(let message): message
        }
    }
}

/// The registered databases, and the rules that turn a request's `db_id` and `table` into one of them.
public struct DatabaseCatalog: Sendable {
    /// The databases in configuration order.
    public let databases: [RegisteredDatabase]
    /// The database used when a request names none and several are registered.
    public let defaultDatabaseID: String?
    private let byID: [String: RegisteredDatabase]

    /// Creates a catalog over open databases.
    public init(databases: [RegisteredDatabase], defaultDatabaseID: String? = nil) {
        self.databases = databases
        self.defaultDatabaseID = defaultDatabaseID
        self.byID = Dictionary(databases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The database registered under `id` (case-sensitive).
    public func database(id: String) -> RegisteredDatabase? { byID[id] }

    /// Resolves a request's `db_id` and `table` query parameters (an empty string counts as absent) for a
    /// caller that may touch only the databases of `token` (`nil`: every database):
    /// 1. a `table` without a `db_id` is refused;
    /// 2. without a `db_id`, the only database, else the configured default, else refused;
    /// 3. an unknown `db_id` is not found;
    /// 4. a `table` must be one registered for that database.
    ///
    /// A database outside the token's set is answered exactly as an unknown one — the same error, before
    /// its tables are looked at — so a token learns nothing of other tenants' databases, not even that
    /// they exist. Without a `db_id`, a database the token may not touch is never picked for it.
    public func resolve(databaseID rawDatabaseID: String?, table rawTable: String?, for token: AccessToken? = nil) throws(ResolutionError) -> ResolvedTable {
        let databaseID = rawDatabaseID.flatMap { $0.isEmpty ? nil : $0 }
        let table = rawTable.flatMap { $0.isEmpty ? nil : $0 }
        let isVisible = { (id: String) in token?.mayAccess(databaseID: id) ?? true }

        guard let databaseID else {
            if table != nil {
                throw .badRequest("The db_id query parameter is required when passing a table")
            }
            if databases.count == 1, isVisible(databases[0].id) {
                return ResolvedTable(database: databases[0], table: databases[0].configuration.defaultTable)
            }
            if let defaultDatabaseID, isVisible(defaultDatabaseID), let database = byID[defaultDatabaseID] {
                return ResolvedTable(database: database, table: database.configuration.defaultTable)
            }
            throw .badRequest("The db_id query parameter is required when using multiple databases")
        }
        guard isVisible(databaseID), let database = byID[databaseID] else {
            throw .notFound("No database found with id '\(databaseID)'")
        }
        guard let table else {
            return ResolvedTable(database: database, table: database.configuration.defaultTable)
        }
        guard database.configuration.tables.contains(table) else {
            throw .notFound("No database with id '\(databaseID)' has table '\(table)'")
        }
        return ResolvedTable(database: database, table: table)
    }

    /// Opens a store for every entry through the registry, in order; with a metrics factory, each store
    /// is wrapped in an ``InstrumentedEvalRunStore``.
    public static func open(
        _ configurations: [DatabaseConfiguration],
        defaultDatabaseID: String? = nil,
        registry: AdapterRegistry,
        metrics: (any MetricsFactory)? = nil,
        logger: Logger
    ) async throws -> DatabaseCatalog {
        var databases: [RegisteredDatabase] = []
        for (index, configuration) in configurations.enumerated() {
            guard let adapter = registry.adapter(kind: configuration.adapter) else {
                throw ConfigurationError(
                    key: "databases[\(index)].adapter",
                    problem: "unknown adapter '\(configuration.adapter)' (registered: \(registry.kinds.joined(separator: ", ")))"
                )
            }
            var store = try await adapter.makeStore(for: configuration, logger: logger)
            if let metrics {
                store = InstrumentedEvalRunStore(store, databaseID: configuration.id, adapter: configuration.adapter, factory: metrics)
            }
            databases.append(RegisteredDatabase(configuration: configuration, store: store))
        }
        return DatabaseCatalog(databases: databases, defaultDatabaseID: defaultDatabaseID)
    }

    /// Samples every pooled store's connection gauges.
    public func samplePools() {
        for database in databases {
            (database.store as? InstrumentedEvalRunStore)?.samplePool()
        }
    }

    /// Shuts every store down.
    public func shutdown() async {
        for database in databases { await database.store.shutdown() }
    }
}
