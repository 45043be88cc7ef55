import Logging

/// The adapter kinds the gateway can serve, by name. Built-in kinds and third-party kinds are
/// registered the same way, before start.
public struct AdapterRegistry: Sendable {
    private var adapters: [String: any StorageAdapter] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding these adapters.
    public init(_ adapters: [any StorageAdapter]) {
        for adapter in adapters { register(adapter) }
    }

    /// Registers an adapter kind, replacing any earlier one of the same name.
    public mutating func register(_ adapter: any StorageAdapter) {
        adapters[adapter.kind] = adapter
    }

    /// The adapter registered under `kind`.
    public func adapter(kind: String) -> (any StorageAdapter)? { adapters[kind] }

    /// The registered kind names, sorted.
    public var kinds: [String] { adapters.keys.sorted() }
}
