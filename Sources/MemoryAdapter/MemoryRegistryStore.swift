public import EvalGatewayCore
public import Logging
import Synchronization

/// A registry store in process memory (`registry: {adapter: memory}`): entries made through the admin API
/// last until the gateway stops. For a single gateway that is configured from its file and tried out
/// through the API; a fleet shares an SQL registry store.
public final class MemoryRegistryStore: RegistryStore {
    private struct State {
        var entries: [RegistryEntry.Kind: [String: RegistryEntry]] = [.database: [:], .token: [:]]
        var version: Int64 = 0
        var keys: [String: [UInt8]] = [:]
        var leases: [String: (owner: String, expiresAt: Int64)] = [:]
        var listeners: [Int: AsyncStream<RegistryNotification>.Continuation] = [:]
        var nextListener = 0
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    public func changes(after version: Int64) async throws -> RegistryChanges {
        state.withLock { state in
            let entries = state.entries.values.flatMap(\.values)
                .filter { $0.version > version && (version > 0 || !$0.isRemoved) }
                .sorted { $0.version < $1.version }
            return RegistryChanges(entries: entries, version: state.version)
        }
    }

    public func currentVersion() async throws -> Int64 { state.withLock { $0.version } }

    public func put(_ entry: RegistryEntry) async throws -> RegistryWrite {
        let (write, listeners) = try state.withLock { state throws(StorageError) -> (RegistryWrite, [AsyncStream<RegistryNotification>.Continuation]) in
            if let digest = entry.secretDigest,
               state.entries[.token, default: [:]].values.contains(where: { !$0.isRemoved && $0.secretDigest == digest && $0.name != entry.name }) {
                throw .conflict("This token secret is already used by another token")
            }
            state.version += 1
            let existing = state.entries[entry.kind, default: [:]][entry.name]
            let created = existing == nil || existing!.isRemoved
            var stored = entry
            stored.version = state.version
            stored.isRemoved = false
            if !created, let existing { stored.createdAt = existing.createdAt }
            state.entries[entry.kind, default: [:]][entry.name] = stored
            return (RegistryWrite(created: created, entry: stored), Array(state.listeners.values))
        }
        for listener in listeners { listener.yield(.changed(version: write.entry.version)) }
        return write
    }

    public func remove(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool {
        let (removed, version, listeners) = state.withLock { state -> (Bool, Int64, [AsyncStream<RegistryNotification>.Continuation]) in
            guard var entry = state.entries[kind, default: [:]][name], !entry.isRemoved else { return (false, state.version, []) }
            state.version += 1
            entry.isRemoved = true
            entry.version = state.version
            entry.updatedAt = timestamp
            state.entries[kind, default: [:]][name] = entry
            return (true, state.version, Array(state.listeners.values))
        }
        for listener in listeners { listener.yield(.changed(version: version)) }
        return removed
    }

    public func sharedKey(named name: String) async throws -> [UInt8] {
        state.withLock { state in
            if let key = state.keys[name] { return key }
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            state.keys[name] = key
            return key
        }
    }

    public func acquireLease(_ name: String, owner: String, until expiresAt: Int64, now: Int64) async throws -> Bool {
        state.withLock { state in
            if let holder = state.leases[name], holder.owner != owner, holder.expiresAt > now { return false }
            state.leases[name] = (owner, expiresAt)
            return true
        }
    }

    /// Every gateway of this process that shares the store hears the others' writes.
    public func notifications() -> AsyncStream<RegistryNotification>? {
        let (stream, continuation) = AsyncStream.makeStream(of: RegistryNotification.self)
        let id = state.withLock { state in
            defer { state.nextListener += 1 }
            state.listeners[state.nextListener] = continuation
            return state.nextListener
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ notification: RegistryNotification) async {
        for listener in state.withLock({ Array($0.listeners.values) }) { listener.yield(notification) }
    }

    public func close() async {
        for listener in state.withLock({ state in
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }) {
            listener.finish()
        }
    }
}

extension MemoryAdapter: RegistryStoreAdapter {
    public var registryOptionKeys: Set<String> { [] }

    public func validateRegistry(_ options: AdapterOptions) throws(ConfigurationError) {}

    public func makeRegistryStore(options: AdapterOptions, logger: Logger) async throws -> any RegistryStore {
        MemoryRegistryStore()
    }
}
