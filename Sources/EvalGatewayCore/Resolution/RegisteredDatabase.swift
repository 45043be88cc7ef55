/// A database the gateway serves: its entry, the store that serves it, and where the entry came from.
public struct RegisteredDatabase: Sendable {
    /// The database entry.
    public let configuration: DatabaseConfiguration
    /// The store that serves it.
    public let store: any EvalRunStore
    /// Whether the entry is declared in the configuration file or was made through the admin API.
    public let source: RegistrySource
    /// When the entry was created through the admin API, epoch milliseconds; `nil` for declared ones.
    public let createdAt: Int64?
    /// When it was last replaced through the admin API, epoch milliseconds; `nil` for declared ones.
    public let updatedAt: Int64?

    /// The `db_id`.
    public var id: String { configuration.id }
    /// The adapter kind.
    public var adapter: String { configuration.adapter }

    /// Pairs an entry with its store.
    public init(configuration: DatabaseConfiguration, store: any EvalRunStore, source: RegistrySource = .config, createdAt: Int64? = nil, updatedAt: Int64? = nil) {
        self.configuration = configuration
        self.store = store
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where a registry entry (a database or a token) comes from.
public enum RegistrySource: String, Sendable {
    /// Declared in the configuration file: loaded at every start, not changeable through the API.
    case config
    /// Made through the admin API: kept in the registry store.
    case api
}

/// A bearer token the gateway knows, with where it came from.
public struct RegisteredToken: Sendable {
    /// The token (its name, secret digest, scopes, databases and rate).
    public let token: AccessToken
    /// Declared in the file or made through the API.
    public let source: RegistrySource
    /// When it was made through the API, epoch milliseconds; `nil` for declared ones.
    public let createdAt: Int64?

    /// Creates a registered token.
    public init(token: AccessToken, source: RegistrySource = .config, createdAt: Int64? = nil) {
        self.token = token
        self.source = source
        self.createdAt = createdAt
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

    /// Pairs a database with one of its tables.
    public init(database: RegisteredDatabase, table: String) {
        self.database = database
        self.table = table
    }
}

/// Why a request's `db_id`/`table` did not resolve, with the exact message clients get.
public enum ResolutionError: Error, Sendable, Equatable {
    /// The request is ambiguous or incomplete (HTTP 400).
    case badRequest(String)
    /// The database or table does not exist — or the caller may not know that it does (HTTP 404).
    case notFound(String)

    /// The message for the client.
    public var message: String {
        switch self {
        case .badRequest(let message), .notFound(let message): message
        }
    }
}
