import Foundation
public import Logging
import Synchronization

/// Tenants as data: the databases and tokens of the configuration file (declared) together with the ones
/// made through the admin API (kept in a ``RegistryStore``), applied to the live ``DatabaseCatalog``.
///
/// - A write through the admin API is checked with the same validation as the file, stored, and in force
///   on this gateway when the call returns.
/// - Other gateways sharing the store catch up from its change feed: at once when the store pushes a
///   notification, else when the periodic version check sees a new version (``watch(every:)``).
/// - A database is opened on first use: registering one opens nothing. Replacing an entry whose adapter,
///   tables and options are unchanged keeps its open store.
/// - A gateway that cannot reach the store keeps serving its last known registry and reports itself
///   stale until it catches up.
public actor TenantRegistry {
    /// The live catalog requests resolve against.
    public nonisolated let catalog: DatabaseCatalog
    private let store: any RegistryStore
    private let adapters: AdapterRegistry
    private let metrics: StoreMetricsProvider?
    private let connectionBudget: any ConnectionBudget
    private let declaredDatabases: Set<String>
    private let declaredTokens: Set<String>
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private var version: Int64 = 0
    private let staleness = Mutex(false)
    /// Syncs run one at a time: two interleaved at their suspension points could apply an older change
    /// set after a newer one.
    private var syncing = false
    private var syncWaiters: [CheckedContinuation<Void, Never>] = []

    /// A registry over the declared entries of `catalog` and the API entries of `store`.
    ///
    /// - Parameters:
    ///   - catalog: the catalog holding the declared databases and tokens.
    ///   - adapters: the adapter kinds that validate and open entries.
    ///   - metrics: where opened databases record their backend metrics.
    ///   - connectionBudget: the gateway-wide cap on open connections, lent to every store.
    ///   - now: the wall clock, epoch milliseconds.
    public init(
        catalog: DatabaseCatalog,
        store: any RegistryStore,
        adapters: AdapterRegistry,
        metrics: StoreMetricsProvider? = nil,
        connectionBudget: any ConnectionBudget = UnlimitedConnectionBudget(),
        logger: Logger,
        now: @escaping @Sendable () -> Int64 = Timestamp.nowMilliseconds
    ) {
        self.catalog = catalog
        self.store = store
        self.adapters = adapters
        self.metrics = metrics
        self.connectionBudget = connectionBudget
        self.declaredDatabases = Set(catalog.databases.map(\.id))
        self.declaredTokens = Set(catalog.tokens.map(\.token.name))
        self.logger = logger
        self.now = now
    }

    /// Whether the last attempt to read the store failed (the gateway serves its last known registry).
    public nonisolated var isStale: Bool { staleness.withLock { $0 } }

    /// The registry version this gateway has applied.
    public var appliedVersion: Int64 { version }

    /// The registry store.
    public nonisolated var registryStore: any RegistryStore { store }

    // MARK: - Catching up

    /// Reads what changed in the store since the last sync and applies it. On failure the gateway keeps
    /// what it has and is marked stale.
    @discardableResult
    public func sync() async -> Bool {
        while syncing {
            await withCheckedContinuation { syncWaiters.append($0) }
        }
        syncing = true
        let caughtUp = await catchUp()
        syncing = false
        let waiters = syncWaiters
        syncWaiters = []
        for waiter in waiters { waiter.resume() }
        return caughtUp
    }

    private func catchUp() async -> Bool {
        do {
            let changes = try await store.changes(after: version)
            await apply(changes.entries)
            version = max(version, changes.version)
            setStale(false)
            return true
        } catch let error where error is CancellationError || Task.isCancelled {
            // The gateway is stopping: not an outage.
            return false
        } catch {
            if !isStale {
                logger.warning("registry store unreachable; serving the last known registry", metadata: ["error": .string("\(StorageError(error))")])
            }
            setStale(true)
            return false
        }
    }

    /// Keeps this gateway in step with the store until the task is cancelled: syncs when the store pushes
    /// a change, and checks the version every `interval` as a fallback (and to notice the store coming
    /// back after an outage).
    public func watch(every interval: Duration, onJobStarted: @escaping @Sendable (String) -> Void = { _ in }) async {
        await withTaskGroup(of: Void.self) { group in
            if let notifications = store.notifications() {
                group.addTask {
                    for await notification in notifications {
                        switch notification {
                        case .changed(let pushed):
                            if await pushed > self.appliedVersion { await self.sync() }
                        case .jobStarted(let id):
                            onJobStarted(id)
                        }
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled else { break }
                    await self.checkVersion()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Compares the store's version with the applied one and syncs when they differ.
    public func checkVersion() async {
        do {
            let current = try await store.currentVersion()
            if current != version || isStale { await sync() }
        } catch let error where error is CancellationError || Task.isCancelled {
            return
        } catch {
            if !isStale {
                logger.warning("registry store unreachable; serving the last known registry", metadata: ["error": .string("\(StorageError(error))")])
            }
            setStale(true)
        }
    }

    private func setStale(_ stale: Bool) { staleness.withLock { $0 = stale } }

    private func apply(_ entries: [RegistryEntry]) async {
        var databases: [String: RegisteredDatabase?] = [:]
        var tokens: [String: RegisteredToken?] = [:]
        for entry in entries {
            switch entry.kind {
            case .database:
                guard !declaredDatabases.contains(entry.name) else {
                    logger.warning("registry entry ignored: the database is declared in the configuration file", metadata: ["db_id": .string(entry.name)])
                    continue
                }
                databases[entry.name] = entry.isRemoved ? RegisteredDatabase?.none : await database(from: entry, replacing: databases[entry.name] ?? catalog.database(id: entry.name))
            case .token:
                guard !declaredTokens.contains(entry.name) else { continue }
                tokens[entry.name] = entry.isRemoved ? RegisteredToken?.none : token(from: entry)
            }
        }
        if !databases.isEmpty { catalog.apply(databases: databases) }
        if !tokens.isEmpty { catalog.apply(tokens: tokens) }
    }

    /// The database an API entry describes, or `nil` (removed) if it no longer validates.
    private func database(from entry: RegistryEntry, replacing current: RegisteredDatabase?) async -> RegisteredDatabase? {
        do {
            let node = try ConfigNode(json: Array(entry.definition.utf8))
            let body = try ConfigDecoder(keyPrefix: "registry.databases[\(entry.name)]").decode(DatabaseDefinitionBody.self, from: node)
            let configuration = try body.definition.validate(id: entry.name, registry: adapters)
            return try await open(configuration, source: .api, createdAt: entry.createdAt, updatedAt: entry.updatedAt, replacing: current)
        } catch {
            logger.error("registry entry cannot be served", metadata: ["db_id": .string(entry.name), "error": .string("\(error)")])
            return nil
        }
    }

    private func token(from entry: RegistryEntry) -> RegisteredToken? {
        do {
            guard let digest = entry.secretDigest else { throw StorageError.invalid("no secret digest") }
            let node = try ConfigNode(json: Array(entry.definition.utf8))
            let definition = try ConfigDecoder(keyPrefix: "registry.tokens[\(entry.name)]").decode(TokenDefinition.self, from: node)
            return RegisteredToken(token: definition.token(named: entry.name, secretDigest: digest), source: .api, createdAt: entry.createdAt)
        } catch {
            logger.error("registry token cannot be used", metadata: ["token": .string(entry.name), "error": .string("\(error)")])
            return nil
        }
    }

    /// Opens a database, or keeps `current`'s store when it serves the same adapter, tables and options.
    private func open(
        _ configuration: DatabaseConfiguration, source: RegistrySource, createdAt: Int64?, updatedAt: Int64?, replacing current: RegisteredDatabase?
    ) async throws -> RegisteredDatabase {
        if let current, current.configuration.sharesStore(with: configuration) {
            return RegisteredDatabase(configuration: configuration, store: current.store, source: source, createdAt: createdAt, updatedAt: updatedAt)
        }
        let store = try await Self.openStore(configuration, adapters: adapters, metrics: metrics, environment: StoreEnvironment(logger: logger, connectionBudget: connectionBudget))
        return RegisteredDatabase(configuration: configuration, store: store, source: source, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Opens the store of a database entry through its adapter kind, wrapped in a ``TenantStore``.
    public static func openStore(
        _ configuration: DatabaseConfiguration, adapters: AdapterRegistry, metrics: StoreMetricsProvider?, environment: StoreEnvironment
    ) async throws -> TenantStore {
        guard let adapter = adapters.adapter(kind: configuration.adapter) else {
            throw ConfigurationError(key: "adapter", problem: "unknown adapter '\(configuration.adapter)' (registered: \(adapters.kinds.joined(separator: ", ")))")
        }
        let base = try await adapter.makeStore(for: configuration, environment: environment)
        guard let metrics else { return TenantStore(base) }
        let (storeMetrics, owned) = metrics.metrics(databaseID: configuration.id, adapter: configuration.adapter)
        return TenantStore(base, metrics: storeMetrics, ownsMetrics: owned)
    }

    // MARK: - Admin writes

    /// Creates or replaces the API database `id`. With `verify`, the database is contacted first and an
    /// unreachable one is refused. Throws ``RegistryError`` for a declared entry, ``ConfigurationError`` for
    /// an invalid one, and the store's ``StorageError`` when it cannot be written.
    public func putDatabase(id: String, definition: DatabaseDefinition, verify: Bool = false) async throws -> (created: Bool, database: RegisteredDatabase) {
        guard !declaredDatabases.contains(id) else { throw RegistryError.declared(.database, id) }
        let configuration = try definition.validate(id: id, registry: adapters)
        if verify {
            let probe = try await Self.openStore(configuration, adapters: adapters, metrics: nil, environment: StoreEnvironment(logger: logger))
            do {
                try await probe.ping()
            } catch {
                await probe.shutdown()
                throw RegistryError.unreachable(id)
            }
            await probe.shutdown()
        }
        let timestamp = now()
        let write = try await store.put(RegistryEntry(
            kind: .database, name: id, definition: RegistryJSON.definition(of: configuration), createdAt: timestamp, updatedAt: timestamp
        ))
        // The write reaches the catalog through the store, in version order with every other gateway's
        // writes: applying it here directly could undo a newer change already synced.
        let caughtUp = await sync()
        if caughtUp, let database = catalog.database(id: id), database.source == .api {
            return (write.created, database)
        }
        let database = try await open(configuration, source: .api, createdAt: write.entry.createdAt, updatedAt: write.entry.updatedAt, replacing: catalog.database(id: id))
        // The store was written but cannot be read back: serve the write now, the next sync confirms it.
        // (Caught up without it, another gateway has removed it since: answer what was written.)
        if !caughtUp { catalog.apply(databases: [id: database]) }
        return (write.created, database)
    }

    /// Removes the API database `id`; returns whether it existed. Its data and tables are untouched.
    public func removeDatabase(id: String) async throws -> Bool {
        guard !declaredDatabases.contains(id) else { throw RegistryError.declared(.database, id) }
        let removed = try await store.remove(.database, name: id, at: now())
        if await !sync() { catalog.apply(databases: [id: nil]) }
        return removed
    }

    /// Creates or replaces the API token `name`: with `definition.secret`, that secret; otherwise a new
    /// one (`egw_` + 32 random bytes, base64url). Returns whether it was created, the token, and the
    /// secret — the only time it is shown; only its SHA-256 is stored.
    public func putToken(name: String, definition: TokenDefinition) async throws -> (created: Bool, token: RegisteredToken, secret: String) {
        guard !declaredTokens.contains(name) else { throw RegistryError.declared(.token, name) }
        if let problem = TokenName.problem(with: name) { throw RegistryError.invalidName(problem) }
        try definition.checkDatabases { catalog.database(id: $0) != nil }
        let secret = definition.secret ?? TokenSecret.generate()
        let digest = AccessToken.digest(of: secret)
        if let holder = catalog.tokens.first(where: { $0.token.secretDigest == digest }), holder.token.name != name {
            throw StorageError.conflict("This token secret is already used by another token")
        }
        let token = definition.token(named: name, secretDigest: digest)
        let timestamp = now()
        let write = try await store.put(RegistryEntry(
            kind: .token, name: name, definition: RegistryJSON.definition(of: token), secretDigest: digest, createdAt: timestamp, updatedAt: timestamp
        ))
        let registered = RegisteredToken(token: token, source: .api, createdAt: write.entry.createdAt)
        if await !sync() { catalog.apply(tokens: [name: registered]) }
        return (write.created, registered, secret)
    }

    /// Revokes the API token `name`; returns whether it existed.
    public func removeToken(name: String) async throws -> Bool {
        guard !declaredTokens.contains(name) else { throw RegistryError.declared(.token, name) }
        let removed = try await store.remove(.token, name: name, at: now())
        if await !sync() { catalog.apply(tokens: [name: nil]) }
        return removed
    }

    /// Closes the registry store.
    public func close() async { await store.close() }
}

/// Why the registry refused an admin write.
public enum RegistryError: Error, Sendable, Equatable {
    /// The entry is declared in the configuration file (HTTP 409).
    case declared(RegistryEntry.Kind, String)
    /// `verify` could not reach the database (HTTP 422).
    case unreachable(String)
    /// The name in the path is not usable (HTTP 422).
    case invalidName(String)

    /// The message for the client.
    public var message: String {
        switch self {
        case .declared(.database, let id): "Database '\(id)' is declared in the configuration file"
        case .declared(.token, let name): "Token '\(name)' is declared in the configuration file"
        case .unreachable(let id): "Database '\(id)' cannot be reached with these options"
        case .invalidName(let problem): problem
        }
    }
}

/// The rule for a token name: 1 to 128 printable ASCII characters without spaces.
public enum TokenName {
    /// Why `name` cannot name a token, or `nil`.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > 128 { return "must be at most 128 characters" }
        guard name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            return "must be printable ASCII without spaces or '/'"
        }
        return nil
    }
}

/// New token secrets.
public enum TokenSecret {
    /// `egw_` followed by 32 random bytes in base64url without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "egw_" + base64
    }
}
