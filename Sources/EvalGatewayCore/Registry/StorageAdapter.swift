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
}

extension StorageAdapter {
    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {}
}
