import Logging

/// A kind of storage adapter: what the registry knows about `memory`, `sqlite`, `postgres`, or a kind a
/// third party plugs in. It validates its part of a database entry and opens stores.
public protocol StorageAdapter: Sendable {
    /// The kind name used in configuration (`adapter: <kind>`).
    var kind: String { get }

    /// The option keys this kind accepts in a database entry, besides `id`, `adapter` and `tables`.
    /// Any other key fails at start.
    var optionKeys: Set<String> { get }

    /// Checks a database entry without opening anything; throws a ``ConfigurationError`` naming the key.
    func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError)

    /// Opens the store for a database entry (creating its tables when missing).
    ///
    /// A backend that cannot be reached at start should still return a store whose operations throw
    /// ``StorageError/unavailable(underlying:retryAfter:)`` until it comes back, so that one tenant's
    /// outage never keeps the gateway from starting.
    func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore

    /// Opens the store for a database entry in the gateway's environment: what ``StoreEnvironment`` holds
    /// (the gateway-wide connection budget). By default, ``makeStore(for:logger:)``, which ignores it.
    ///
    /// A store should open nothing here — connect, open files and create tables on first use — so that
    /// registering thousands of databases costs nothing until they get requests.
    func makeStore(for configuration: DatabaseConfiguration, environment: StoreEnvironment) async throws -> any EvalRunStore
}

extension StorageAdapter {
    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {}

    public func makeStore(for configuration: DatabaseConfiguration, environment: StoreEnvironment) async throws -> any EvalRunStore {
        try await makeStore(for: configuration, logger: environment.logger)
    }
}

/// What the gateway lends every store it opens.
public struct StoreEnvironment: Sendable {
    /// The gateway's logger.
    public var logger: Logger
    /// The gateway-wide cap on open connections (`server.max_open_connections`), asked before a store
    /// opens a connection or a file handle.
    public var connectionBudget: any ConnectionBudget

    /// An environment; by default without a connection cap.
    public init(logger: Logger, connectionBudget: any ConnectionBudget = UnlimitedConnectionBudget()) {
        self.logger = logger
        self.connectionBudget = connectionBudget
    }
}
