public import EvalGatewayCore
public import Logging
import Foundation
import Synchronization

/// The registry store of a fleet (`registry: {adapter: postgres, url: …, schema: evalgw}`): databases and
/// tokens made through the admin API of any gateway, in tables of one Postgres schema that every gateway
/// of the fleet points at.
///
/// - Every write bumps the version row and stamps its entry in one transaction; the row lock on the
///   version serializes writers, so versions are assigned in commit order.
/// - The same transaction sends `NOTIFY evalgw_registry` (delivered on commit): each gateway holds one
///   connection that `LISTEN`s (served by the Postgres event loop, no thread of its own), and catches up at once. Gateways also poll the
///   version, which covers a notification lost while their listening connection was down.
/// - Tables are created on first use, under an advisory lock, so gateways starting together do not race.
public final class PostgresRegistryStore: RegistryStore {
    /// The `NOTIFY` channel.
    static let channel = "evalgw_registry"

    private let pool: PostgresConnectionPool
    private let parameters: PostgresConnectionParameters
    private let schema: String
    private let tables: Tables
    private let logger: Logger
    private let prepared = PostgresSetup<Bool>()
    private let listener = Mutex<ListenerState>(ListenerState())

    private struct ListenerState {
        var continuations: [Int: AsyncStream<RegistryNotification>.Continuation] = [:]
        var nextID = 0
        var listening = false
        var stopped = false
        /// The connection that listens now.
        var connection: PostgresConnection?
    }

    struct Tables {
        let entries: String
        let version: String
        let keys: String
        let leases: String

        init(schema: String) {
            let quoted = PostgresIdentifier.quote(schema)
            entries = "\(quoted).evalgw_registry_entries"
            version = "\(quoted).evalgw_registry_version"
            keys = "\(quoted).evalgw_registry_keys"
            leases = "\(quoted).evalgw_registry_leases"
        }
    }

    /// A store in `schema` of the server at `settings.url`. Opens nothing until first used.
    public init(settings: PostgresStoreSettings, logger: Logger) throws(ConfigurationError) {
        if let problem = PostgresIdentifier.problem(with: settings.schema) {
            throw ConfigurationError(key: "registry.schema", problem: problem)
        }
        self.schema = settings.schema
        self.tables = Tables(schema: settings.schema)
        self.parameters = settings.connectionParameters
        self.pool = PostgresConnectionPool(
            label: "evalgw.registry",
            size: max(1, settings.maxConnections),
            parameters: settings.connectionParameters,
            waitTimeout: .milliseconds(settings.poolTimeoutMilliseconds),
            idleTimeout: .seconds(settings.idleTimeoutSeconds)
        )
        self.logger = logger
    }

    /// The columns of the entries table, in the order statements select and insert them.
    enum Column: Int, PostgresColumns {
        case kind, name, definition, secretSHA256, createdAt, updatedAt, version, removed

        var name: String {
            switch self {
            case .kind: "kind"
            case .name: "name"
            case .definition: "definition"
            case .secretSHA256: "secret_sha256"
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .version: "version"
            case .removed: "removed"
            }
        }
    }

    public func changes(after version: Int64) async throws -> RegistryChanges {
        try await run(.idempotent) { [tables] connection in
            try await connection.inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                let current = try await connection.executePrepared("SELECT version FROM \(tables.version) WHERE id = 1", []).int64(0, 0)
                let rows = try await connection.executePrepared(
                    "SELECT \(Column.selectList) FROM \(tables.entries) WHERE version > $1::bigint AND ($1::bigint > 0 OR NOT removed) ORDER BY version",
                    [String(version)]
                )
                let entries = (0..<rows.rowCount).map { Self.entry(rows, $0) }
                return RegistryChanges(entries: entries, version: current)
            }
        }
    }

    public func currentVersion() async throws -> Int64 {
        try await run(.idempotent) { [tables] connection in
            try await connection.executePrepared("SELECT version FROM \(tables.version) WHERE id = 1", []).int64(0, 0)
        }
    }

    public func put(_ entry: RegistryEntry) async throws -> RegistryWrite {
        try await run(.write) { [tables, schema] connection in
            try await connection.inTransaction { () async throws -> RegistryWrite in
                let version = try await connection.executePrepared(
                    "UPDATE \(tables.version) SET version = version + 1 WHERE id = 1 RETURNING version", []
                ).int64(0, 0)
                if let digest = entry.secretDigest {
                    let holders = try await connection.executePrepared(
                        "SELECT 1 FROM \(tables.entries) WHERE secret_sha256 = $1 AND NOT removed AND NOT (kind = $2 AND name = $3)",
                        [Self.hex(digest), entry.kind.rawValue, entry.name]
                    )
                    if holders.rowCount > 0 { throw StorageError.conflict("This token secret is already used by another token") }
                }
                let existing = try await connection.executePrepared(
                    "SELECT created_at, removed FROM \(tables.entries) WHERE kind = $1 AND name = $2",
                    [entry.kind.rawValue, entry.name]
                )
                let created = existing.rowCount == 0 || existing.string(0, 1) == "t"
                var stored = entry
                stored.version = version
                stored.isRemoved = false
                if !created { stored.createdAt = existing.int64(0, 0) }
                try await connection.executePrepared("""
                    INSERT INTO \(tables.entries) (\(Column.selectList)) VALUES ($1, $2, $3, $4, $5::bigint, $6::bigint, $7::bigint, false)
                    ON CONFLICT (kind, name) DO UPDATE SET definition = excluded.definition, secret_sha256 = excluded.secret_sha256,
                        created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version, removed = false
                    """, [
                        stored.kind.rawValue, stored.name, stored.definition, stored.secretDigest.map(Self.hex),
                        String(stored.createdAt), String(stored.updatedAt), String(version),
                    ])
                try await Self.notify(connection, schema: schema, .changed(version: version))
                return RegistryWrite(created: created, entry: stored)
            }
        }
    }

    public func remove(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool {
        do {
            return try await removeExisting(kind, name: name, at: timestamp)
        } catch is NothingRemoved {
            return false
        }
    }

    private func removeExisting(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool {
        try await run(.write) { [tables, schema] connection in
            try await connection.inTransaction { () async throws -> Bool in
                let version = try await connection.executePrepared(
                    "UPDATE \(tables.version) SET version = version + 1 WHERE id = 1 RETURNING version", []
                ).int64(0, 0)
                let removed = try await connection.executePrepared(
                    "UPDATE \(tables.entries) SET removed = true, secret_sha256 = NULL, updated_at = $3::bigint, version = $4::bigint WHERE kind = $1 AND name = $2 AND NOT removed",
                    [kind.rawValue, name, String(timestamp), String(version)]
                ).affectedRows
                guard removed > 0 else { throw NothingRemoved() }
                try await Self.notify(connection, schema: schema, .changed(version: version))
                return true
            }
        }
    }

    /// Rolls back a removal that found nothing, so the version is not bumped for it.
    private struct NothingRemoved: Error {}

    public func sharedKey(named name: String) async throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let candidate = Self.hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = try await run(.write) { [tables] connection in
            try await connection.executePrepared(
                "INSERT INTO \(tables.keys) (name, key) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET key = \(tables.keys).key RETURNING key",
                [name, candidate]
            ).string(0, 0)
        }
        return Self.bytes(hex: key)
    }

    /// One upsert (`INSERT … ON CONFLICT DO UPDATE … WHERE`): the row lock it takes makes two gateways
    /// asking at once see each other, so exactly one gets a free or expired lease.
    public func acquireLease(_ name: String, owner: String, until expiresAt: Int64, now: Int64) async throws -> Bool {
        try await run(.write) { [tables] connection in
            try await connection.executePrepared("""
                INSERT INTO \(tables.leases) (name, owner, expires_at) VALUES ($1, $2, $3::bigint)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE \(tables.leases).owner = excluded.owner OR \(tables.leases).expires_at <= $4::bigint
                RETURNING owner
                """, [name, owner, String(expiresAt), String(now)]).rowCount > 0
        }
    }

    public func notifications() -> AsyncStream<RegistryNotification>? {
        let (stream, continuation) = AsyncStream.makeStream(of: RegistryNotification.self)
        let startThread = listener.withLock { state -> Bool in
            let id = state.nextID
            state.nextID += 1
            state.continuations[id] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.listener.withLock { $0.continuations.removeValue(forKey: id) }
            }
            guard !state.listening, !state.stopped else { return false }
            state.listening = true
            return true
        }
        if startThread { startListening() }
        return stream
    }

    public func publish(_ notification: RegistryNotification) async {
        do {
            try await run(.write) { [schema] connection in try await Self.notify(connection, schema: schema, notification) }
        } catch {
            logger.debug("cannot notify the fleet", metadata: ["error": .string("\(error)")])
        }
    }

    public func close() async {
        let (continuations, connection) = listener.withLock { state in
            state.stopped = true
            defer { state.continuations.removeAll() }
            return (Array(state.continuations.values), state.connection)
        }
        connection?.close()
        for continuation in continuations { continuation.finish() }
        await pool.close()
    }

    // MARK: - Listening

    /// Runs the `LISTEN` loop as a task: one connection of its own, served by the process's Postgres
    /// event loop like every other (no thread waits on it), reopened a second after a failure. Ends when
    /// ``close()`` closes that connection.
    private func startListening() {
        Task.detached { [weak self] in
            while let self, await self.listenOnce() {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Listens on one connection until it fails or the store closes; returns whether to listen again.
    private func listenOnce() async -> Bool {
        do {
            let connection = try await PostgresConnection.connect(parameters)
            let keep = listener.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connection = connection
                return true
            }
            guard keep else {
                connection.close()
                return false
            }
            defer {
                listener.withLock { $0.connection = nil }
                connection.close()
            }
            let notifications = connection.notifications()
            try await connection.execute("LISTEN \(Self.channel)")
            for try await notification in notifications {
                guard let separator = notification.payload.firstIndex(of: "|"),
                      notification.payload[..<separator] == schema,
                      let parsed = RegistryNotification(payload: String(notification.payload[notification.payload.index(after: separator)...]))
                else { continue }
                deliver(parsed)
            }
        } catch {
            logger.debug("registry listener reconnecting", metadata: ["error": .string("\(error)")])
        }
        return !listener.withLock { $0.stopped }
    }

    private func deliver(_ notification: RegistryNotification) {
        for continuation in listener.withLock({ Array($0.continuations.values) }) { continuation.yield(notification) }
    }

    // MARK: - Helpers

    private static func notify(_ connection: PostgresConnection, schema: String, _ notification: RegistryNotification) async throws {
        try await connection.executePrepared("SELECT pg_notify($1, $2)", [channel, "\(schema)|\(notification.payload)"])
    }

    private func run<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            _ = try await prepared.value { [self] in
                try await pool.run(.idempotent) { connection in try await prepareTables(on: connection) }
                return true
            }
            return try await pool.run(policy) { connection in try await body(connection) }
        } catch let error as NothingRemoved {
            throw error
        } catch let error as StorageError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PostgresEvalRunStore.storageError(error)
        }
    }

    private func prepareTables(on connection: PostgresConnection) async throws {
        try await connection.inTransaction {
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtext('evalgw_registry:' || $1))", [schema])
            try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(PostgresIdentifier.quote(schema))")
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS \(tables.entries) (
                    kind text NOT NULL,
                    name text COLLATE "C" NOT NULL,
                    definition text NOT NULL,
                    secret_sha256 text,
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    version bigint NOT NULL,
                    removed boolean NOT NULL DEFAULT false,
                    PRIMARY KEY (kind, name)
                )
                """)
            try await connection.execute("CREATE INDEX IF NOT EXISTS evalgw_registry_entries_version ON \(tables.entries) (version)")
            try await connection.execute(
                "CREATE UNIQUE INDEX IF NOT EXISTS evalgw_registry_entries_secret ON \(tables.entries) (secret_sha256) WHERE NOT removed AND secret_sha256 IS NOT NULL"
            )
            try await connection.execute("CREATE TABLE IF NOT EXISTS \(tables.version) (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)")
            try await connection.execute("INSERT INTO \(tables.version) (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING")
            try await connection.execute("CREATE TABLE IF NOT EXISTS \(tables.keys) (name text PRIMARY KEY, key text NOT NULL)")
            try await connection.execute(
                "CREATE TABLE IF NOT EXISTS \(tables.leases) (name text COLLATE \"C\" PRIMARY KEY, owner text NOT NULL, expires_at bigint NOT NULL)"
            )
        }
    }

    private static func entry(_ rows: PostgresResult, _ row: Int) -> RegistryEntry {
        let row = PostgresRow<Column>(result: rows, row: row)
        return RegistryEntry(
            kind: RegistryEntry.Kind(rawValue: row.string(.kind)) ?? .database,
            name: row.string(.name),
            definition: row.string(.definition),
            secretDigest: row.optionalString(.secretSHA256).map(bytes(hex:)),
            createdAt: row.int64(.createdAt),
            updatedAt: row.int64(.updatedAt),
            version: row.int64(.version),
            isRemoved: row.string(.removed) == "t"
        )
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}

extension PostgresAdapter: RegistryStoreAdapter {
    /// `url` (required), `schema` (default `evalgw`), `max_connections` (default 2),
    /// `connect_timeout_seconds`, `statement_timeout_ms` (default 10 s), `pool_timeout_ms` (default 30 s:
    /// admin writes are rare and may queue).
    public var registryOptionKeys: Set<String> {
        ["url", "schema", "max_connections", "connect_timeout_seconds", "statement_timeout_ms", "pool_timeout_ms"]
    }

    public func validateRegistry(_ options: AdapterOptions) throws(ConfigurationError) {
        _ = try registrySettings(options)
    }

    public func makeRegistryStore(options: AdapterOptions, logger: Logger) async throws -> any RegistryStore {
        try PostgresRegistryStore(settings: try registrySettings(options), logger: logger)
    }

    private func registrySettings(_ options: AdapterOptions) throws(ConfigurationError) -> PostgresStoreSettings {
        let url = try options.requiredString("url")
        guard PostgresConnectionParameters.isValidConnectionString(url) else {
            throw options.problem("url", "is not a libpq connection URI or conninfo string (e.g. postgresql://user:password@host:5432/db, or host=… dbname=…)")
        }
        let schema = try options.string("schema") ?? "evalgw"
        if let problem = PostgresIdentifier.problem(with: schema) { throw options.problem("schema", problem) }
        var settings = PostgresStoreSettings(url: url, schema: schema, applicationName: "evalgw:registry")
        settings.maxConnections = try options.integer("max_connections", in: 1...64) ?? 2
        settings.connectTimeoutSeconds = try options.integer("connect_timeout_seconds", in: 1...3600)
        settings.statementTimeoutMilliseconds = try options.integer("statement_timeout_ms", in: 0...86_400_000) ?? 10_000
        settings.poolTimeoutMilliseconds = try options.integer("pool_timeout_ms", in: 0...3_600_000) ?? 30_000
        return settings
    }
}
