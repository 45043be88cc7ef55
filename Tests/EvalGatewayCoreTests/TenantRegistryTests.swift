import EvalGatewayCore
import Logging
import MemoryAdapter
import Synchronization
import Testing

/// Tenants as data: admin writes checked like the file, in force at once, persisted in the registry
/// store, and seen by every gateway that shares it.
@Suite struct TenantRegistryTests {
    let adapters = AdapterRegistry([MemoryAdapter()])

    /// A gateway's registry over `store`, with one declared database `local` and one declared token.
    func gateway(_ store: any RegistryStore) async throws -> TenantRegistry {
        let local = DatabaseConfiguration(id: "local", adapter: "memory")
        let catalog = DatabaseCatalog(
            databases: [RegisteredDatabase(configuration: local, store: try await TenantRegistry.openStore(local, adapters: adapters, metrics: nil, environment: StoreEnvironment(logger: Logger(label: "test"))))],
            tokens: [RegisteredToken(token: AccessToken(name: "file-admin", secret: "file-secret", scopes: [.admin], databases: ["*"]))]
        )
        let registry = TenantRegistry(catalog: catalog, store: store, adapters: adapters, logger: Logger(label: "test"))
        await registry.sync()
        return registry
    }

    func definition(_ json: String) throws -> DatabaseDefinition {
        try ConfigDecoder(keyPrefix: "body").decode(DatabaseDefinitionBody.self, from: ConfigNode(json: Array(json.utf8))).definition
    }

    func tokenDefinition(_ json: String) throws -> TokenDefinition {
        try ConfigDecoder(keyPrefix: "body").decode(TokenDefinition.self, from: ConfigNode(json: Array(json.utf8)))
    }

    @Test func aPutDatabaseIsServedAtOnceAndReplacedWhole() async throws {
        let registry = try await gateway(MemoryRegistryStore())
        let (created, database) = try await registry.putDatabase(id: "tenant-a", definition: definition(#"{"adapter":"memory","tables":["runs"]}"#))
        #expect(created && database.source == .api && database.createdAt != nil)
        let target = try registry.catalog.resolve(databaseID: "tenant-a", table: "runs")
        _ = try await target.store.createEvalRun(EvalRun(id: "r1", evalType: .accuracy, createdAt: 1), in: "runs")

        // Same adapter, tables and options, another rate: the open store (and its rows) stays.
        let (again, rated) = try await registry.putDatabase(id: "tenant-a", definition: definition(#"{"adapter":"memory","tables":["runs"],"rate":{"requests_per_second":9}}"#))
        #expect(!again && rated.configuration.rate?.requestsPerSecond == 9)
        #expect(try await registry.catalog.resolve(databaseID: "tenant-a", table: "runs").store.evalRun(id: "r1", in: "runs") != nil)

        // Other tables: a new store; the old table name is gone.
        _ = try await registry.putDatabase(id: "tenant-a", definition: definition(#"{"adapter":"memory","tables":["other"]}"#))
        #expect(throws: ResolutionError.notFound("No database with id 'tenant-a' has table 'runs'")) {
            try registry.catalog.resolve(databaseID: "tenant-a", table: "runs")
        }
        #expect(try await registry.removeDatabase(id: "tenant-a"))
        #expect(!(try await registry.removeDatabase(id: "tenant-a")))
        #expect(registry.catalog.database(id: "tenant-a") == nil)
    }

    @Test func declaredEntriesCannotBeChanged() async throws {
        let registry = try await gateway(MemoryRegistryStore())
        await #expect(throws: RegistryError.declared(.database, "local")) {
            _ = try await registry.putDatabase(id: "local", definition: definition(#"{"adapter":"memory"}"#))
        }
        await #expect(throws: RegistryError.declared(.database, "local")) { _ = try await registry.removeDatabase(id: "local") }
        await #expect(throws: RegistryError.declared(.token, "file-admin")) {
            _ = try await registry.putToken(name: "file-admin", definition: tokenDefinition(#"{"scopes":["admin"]}"#))
        }
        #expect(RegistryError.declared(.database, "local").message == "Database 'local' is declared in the configuration file")
    }

    @Test func anInvalidPutStoresNothing() async throws {
        let store = MemoryRegistryStore()
        let registry = try await gateway(store)
        await #expect(throws: ConfigurationError.self) {
            _ = try await registry.putDatabase(id: "bad", definition: definition(#"{"adapter":"memory","tables":["a","a"]}"#))
        }
        #expect(try await store.changes(after: 0).entries.isEmpty)
        #expect(registry.catalog.database(id: "bad") == nil)
    }

    @Test func tokensAreStoredAsDigestsAndShownOnce() async throws {
        let store = MemoryRegistryStore()
        let registry = try await gateway(store)
        let (created, token, secret) = try await registry.putToken(name: "ci", definition: tokenDefinition(#"{"scopes":["evals:read"],"databases":["local"]}"#))
        #expect(created && secret.hasPrefix("egw_"))
        #expect(token.token.secretDigest == AccessToken.digest(of: secret))
        let stored = try #require(try await store.changes(after: 0).entries.first { $0.kind == .token })
        #expect(stored.secretDigest == AccessToken.digest(of: secret))
        #expect(!stored.definition.contains(secret))
        #expect(try registry.catalog.access.authenticate(authorization: "Bearer \(secret)")?.name == "ci")

        // A given secret is used as is; another token may not reuse it.
        _ = try await registry.putToken(name: "fixed", definition: tokenDefinition(#"{"token":"my-own-secret","scopes":["evals:read"]}"#))
        await #expect(throws: StorageError.self) {
            _ = try await registry.putToken(name: "copy", definition: tokenDefinition(#"{"token":"my-own-secret","scopes":["evals:read"]}"#))
        }
        // A token for a database that does not exist is refused, naming the key.
        await #expect(throws: ConfigurationError.self) {
            _ = try await registry.putToken(name: "x", definition: tokenDefinition(#"{"scopes":["evals:read"],"databases":["nope"]}"#))
        }
        #expect(try await registry.removeToken(name: "ci"))
        #expect(throws: AccessError.invalidToken) { try registry.catalog.access.authenticate(authorization: "Bearer \(secret)") }
    }

    /// Two gateways over one store: a write through one is in force on the other once it catches up —
    /// pushed by the store's notifications while `watch` runs.
    @Test func gatewaysSharingAStoreConverge() async throws {
        let store = MemoryRegistryStore()
        let first = try await gateway(store)
        let second = try await gateway(store)
        // Notifications carry the changes; the periodic check covers any sent before the watcher listens.
        let watching = Task { await second.watch(every: .milliseconds(500)) }
        defer { watching.cancel() }
        _ = try await first.putDatabase(id: "tenant-b", definition: definition(#"{"adapter":"memory"}"#))
        let (_, _, secret) = try await first.putToken(name: "reader", definition: tokenDefinition(#"{"scopes":["evals:read"]}"#))
        try await eventually { second.catalog.database(id: "tenant-b") != nil && (try? second.catalog.access.authenticate(authorization: "Bearer \(secret)")) != nil }
        _ = try await first.removeToken(name: "reader")
        _ = try await first.removeDatabase(id: "tenant-b")
        try await eventually { second.catalog.database(id: "tenant-b") == nil && (try? second.catalog.access.authenticate(authorization: "Bearer \(secret)")) == nil }
        #expect(await second.appliedVersion == (try await store.currentVersion()))
    }

    /// A gateway that cannot read the store keeps serving what it knows, says it is stale, and catches up
    /// when the store is back.
    @Test func aLostStoreLeavesTheLastKnownRegistry() async throws {
        let store = FlakyRegistryStore(MemoryRegistryStore())
        let registry = try await gateway(store)
        _ = try await registry.putDatabase(id: "kept", definition: definition(#"{"adapter":"memory"}"#))
        store.isDown = true
        await registry.checkVersion()
        #expect(registry.isStale)
        #expect(registry.catalog.database(id: "kept") != nil)
        await #expect(throws: StorageError.self) {
            _ = try await registry.putDatabase(id: "new", definition: definition(#"{"adapter":"memory"}"#))
        }
        #expect(registry.catalog.database(id: "new") == nil)
        store.isDown = false
        await registry.checkVersion()
        #expect(!registry.isStale)
    }
}

/// Waits up to 5 s for `condition`, checking every 10 ms.
func eventually(_ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 5 s")
}

/// A registry store whose backend can be taken away: every call fails as unavailable while it is down.
final class FlakyRegistryStore: RegistryStore {
    private let base: any RegistryStore
    private let down = Mutex(false)

    init(_ base: any RegistryStore) { self.base = base }

    var isDown: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }

    private func check() throws {
        if isDown { throw StorageError.unavailable(underlying: "registry store is down", retryAfter: 1) }
    }

    func changes(after version: Int64) async throws -> RegistryChanges { try check(); return try await base.changes(after: version) }
    func currentVersion() async throws -> Int64 { try check(); return try await base.currentVersion() }
    func put(_ entry: RegistryEntry) async throws -> RegistryWrite { try check(); return try await base.put(entry) }
    func remove(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool { try check(); return try await base.remove(kind, name: name, at: timestamp) }
    func sharedKey(named name: String) async throws -> [UInt8] { try check(); return try await base.sharedKey(named: name) }
    func acquireLease(_ name: String, owner: String, until expiresAt: Int64, now: Int64) async throws -> Bool {
        try check()
        return try await base.acquireLease(name, owner: owner, until: expiresAt, now: now)
    }
    func notifications() -> AsyncStream<RegistryNotification>? { base.notifications() }
    func publish(_ notification: RegistryNotification) async { await base.publish(notification) }
    func close() async { await base.close() }
}
