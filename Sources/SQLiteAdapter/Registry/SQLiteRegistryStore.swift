public import EvalGatewayCore
public import Logging
import Foundation
import Synchronization

/// The registry store of a single gateway (`registry: {adapter: sqlite, path: ./data/registry.sqlite}`,
/// the embedded default): databases and tokens made through the admin API, in one SQLite file that
/// survives restarts.
///
/// Tables: `evalgw_registry_entries` (one row per entry, with the version of its last write and a
/// tombstone flag), `evalgw_registry_version` (one row) and `evalgw_registry_keys` (shared secrets).
/// A write bumps the version and stamps its row in one transaction.
public final class SQLiteRegistryStore: RegistryStore {
    private let connection: SQLiteConnectionQueue
    private let listeners = Mutex<[Int: AsyncStream<RegistryNotification>.Continuation]>([:])
    private let nextListener = Atomic<Int>(0)

    /// Opens (creating if needed) the registry file at `path`; parent folders are created.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5000) async throws {
        do {
            connection = try await SQLiteConnectionQueue.open(
                label: "evalgw.registry", path: path, readOnly: false,
                prepare: {
                    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                },
                setup: { connection in
                    connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
                    try connection.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
                    try connection.execute(Self.schema)
                }
            )
        } catch {
            throw SQLiteEvalRunStore.storageError(error)
        }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS evalgw_registry_entries (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            definition TEXT NOT NULL,
            secret_sha256 TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            removed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, name)
        );
        CREATE INDEX IF NOT EXISTS evalgw_registry_entries_version ON evalgw_registry_entries (version);
        CREATE UNIQUE INDEX IF NOT EXISTS evalgw_registry_entries_secret ON evalgw_registry_entries (secret_sha256)
            WHERE removed = 0 AND secret_sha256 IS NOT NULL;
        CREATE TABLE IF NOT EXISTS evalgw_registry_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
        INSERT OR IGNORE INTO evalgw_registry_version (id, version) VALUES (1, 0);
        CREATE TABLE IF NOT EXISTS evalgw_registry_keys (name TEXT PRIMARY KEY, key TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS evalgw_registry_leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
        """

    private enum Column: Int32, CaseIterable {
        case kind, name, definition, secretSHA256, createdAt, updatedAt, version, removed

        static let list = "kind, name, definition, secret_sha256, created_at, updated_at, version, removed"
    }

    public func changes(after version: Int64) async throws -> RegistryChanges {
        try await run { connection in
            try connection.inTransaction(.deferred) {
                let current = try connection.cachedStatement("SELECT version FROM evalgw_registry_version WHERE id = 1")
                _ = try current.step()
                let storeVersion = current.int64(0)
                let select = try connection.cachedStatement(
                    "SELECT \(Column.list) FROM evalgw_registry_entries WHERE version > ? AND (? > 0 OR removed = 0) ORDER BY version"
                )
                try select.bind([.integer(version), .integer(version)])
                var entries: [RegistryEntry] = []
                while try select.step() { entries.append(Self.entry(from: select)) }
                return RegistryChanges(entries: entries, version: storeVersion)
            }
        }
    }

    public func currentVersion() async throws -> Int64 {
        try await run { connection in
            let statement = try connection.cachedStatement("SELECT version FROM evalgw_registry_version WHERE id = 1")
            _ = try statement.step()
            return statement.int64(0)
        }
    }

    public func put(_ entry: RegistryEntry) async throws -> RegistryWrite {
        let write = try await run { connection in
            try connection.inTransaction(.immediate) { () throws -> RegistryWrite in
                let version = try Self.bumpVersion(connection)
                if let digest = entry.secretDigest {
                    let holder = try connection.cachedStatement(
                        "SELECT name FROM evalgw_registry_entries WHERE secret_sha256 = ? AND removed = 0 AND name <> ?"
                    )
                    try holder.bind([.text(Self.hex(digest)), .text(entry.name)])
                    if try holder.step() { throw StorageError.conflict("This token secret is already used by another token") }
                }
                let existing = try connection.cachedStatement(
                    "SELECT created_at, removed FROM evalgw_registry_entries WHERE kind = ? AND name = ?"
                )
                try existing.bind([.text(entry.kind.rawValue), .text(entry.name)])
                let found = try existing.step()
                let created = !found || existing.int64(1) != 0
                var stored = entry
                stored.version = version
                stored.isRemoved = false
                if !created { stored.createdAt = existing.int64(0) }
                let upsert = try connection.cachedStatement("""
                    INSERT INTO evalgw_registry_entries (\(Column.list)) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                    ON CONFLICT (kind, name) DO UPDATE SET definition = excluded.definition, secret_sha256 = excluded.secret_sha256,
                        created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version, removed = 0
                    """)
                try upsert.run([
                    .text(stored.kind.rawValue), .text(stored.name), .text(stored.definition),
                    stored.secretDigest.map { .text(Self.hex($0)) } ?? .null,
                    .integer(stored.createdAt), .integer(stored.updatedAt), .integer(version),
                ])
                return RegistryWrite(created: created, entry: stored)
            }
        }
        broadcast(.changed(version: write.entry.version))
        return write
    }

    public func remove(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool {
        let version: Int64? = try await run { connection in
            try connection.inTransaction(.immediate) { () throws -> Int64? in
                let existing = try connection.cachedStatement(
                    "SELECT 1 FROM evalgw_registry_entries WHERE kind = ? AND name = ? AND removed = 0"
                )
                try existing.bind([.text(kind.rawValue), .text(name)])
                guard try existing.step() else { return nil }
                let version = try Self.bumpVersion(connection)
                try connection.cachedStatement(
                    "UPDATE evalgw_registry_entries SET removed = 1, updated_at = ?, version = ?, secret_sha256 = NULL WHERE kind = ? AND name = ?"
                ).run([.integer(timestamp), .integer(version), .text(kind.rawValue), .text(name)])
                return version
            }
        }
        guard let version else { return false }
        broadcast(.changed(version: version))
        return true
    }

    public func sharedKey(named name: String) async throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let candidate = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hex = try await run { connection in
            try connection.inTransaction(.immediate) { () throws -> String in
                try connection.cachedStatement("INSERT OR IGNORE INTO evalgw_registry_keys (name, key) VALUES (?, ?)")
                    .run([.text(name), .text(Self.hex(candidate))])
                let select = try connection.cachedStatement("SELECT key FROM evalgw_registry_keys WHERE name = ?")
                try select.bind([.text(name)])
                _ = try select.step()
                return select.text(0)
            }
        }
        return Self.bytes(hex: hex)
    }

    /// One upsert that takes the row only when it is free, expired or already `owner`'s.
    public func acquireLease(_ name: String, owner: String, until expiresAt: Int64, now: Int64) async throws -> Bool {
        try await run { connection in
            try connection.cachedStatement("""
                INSERT INTO evalgw_registry_leases (name, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE evalgw_registry_leases.owner = excluded.owner OR evalgw_registry_leases.expires_at <= ?
                """).run([.text(name), .text(owner), .integer(expiresAt), .integer(now)])
            return connection.changes > 0
        }
    }

    /// In-process only: one gateway serves an SQLite registry.
    public func notifications() -> AsyncStream<RegistryNotification>? {
        let (stream, continuation) = AsyncStream.makeStream(of: RegistryNotification.self)
        let id = nextListener.wrappingAdd(1, ordering: .relaxed).oldValue
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ notification: RegistryNotification) async { broadcast(notification) }

    public func close() async {
        for listener in listeners.withLock({ listeners in
            defer { listeners.removeAll() }
            return Array(listeners.values)
        }) {
            listener.finish()
        }
        await connection.close()
    }

    // MARK: - Helpers

    private func broadcast(_ notification: RegistryNotification) {
        for listener in listeners.withLock({ Array($0.values) }) { listener.yield(notification) }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await connection.run(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw SQLiteEvalRunStore.storageError(error)
        }
    }

    private static func bumpVersion(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.cachedStatement("UPDATE evalgw_registry_version SET version = version + 1 WHERE id = 1").run()
        let select = try connection.cachedStatement("SELECT version FROM evalgw_registry_version WHERE id = 1")
        _ = try select.step()
        return select.int64(0)
    }

    private static func entry(from row: SQLiteStatement) -> RegistryEntry {
        RegistryEntry(
            kind: RegistryEntry.Kind(rawValue: row.text(Column.kind.rawValue)) ?? .database,
            name: row.text(Column.name.rawValue),
            definition: row.text(Column.definition.rawValue),
            secretDigest: row.optionalText(Column.secretSHA256.rawValue).map(bytes(hex:)),
            createdAt: row.int64(Column.createdAt.rawValue),
            updatedAt: row.int64(Column.updatedAt.rawValue),
            version: row.int64(Column.version.rawValue),
            isRemoved: row.int64(Column.removed.rawValue) != 0
        )
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: text, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            bytes.append(UInt8(hexDigit(digits[index]) << 4 | hexDigit(digits[index + 1])))
            index += 2
        }
        return bytes
    }

    private static func hexDigit(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}

extension SQLiteAdapter: RegistryStoreAdapter {
    /// `path` (required) and `busy_timeout_ms`.
    public var registryOptionKeys: Set<String> { ["path", "busy_timeout_ms"] }

    public func validateRegistry(_ options: AdapterOptions) throws(ConfigurationError) {
        _ = try options.requiredString("path")
        _ = try options.integer("busy_timeout_ms", in: 0...600_000)
    }

    public func makeRegistryStore(options: AdapterOptions, logger: Logger) async throws -> any RegistryStore {
        try validateRegistry(options)
        let busyTimeout = try options.integer("busy_timeout_ms") ?? 5000
        return try await SQLiteRegistryStore(path: try options.requiredString("path"), busyTimeoutMilliseconds: Int32(busyTimeout))
    }
}
