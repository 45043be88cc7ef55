public import Logging

/// Where the tenants made through the admin API live: databases and tokens as rows, shared by every
/// gateway that points at the same store, so that a fleet serves one set of tenants.
///
/// The embedded default keeps them in an SQLite file under `./data/`; a fleet shares a Postgres schema.
/// Entries written in the configuration file are not stored here: every gateway reads them from its file.
///
/// Every write bumps the store's version and stamps the rows it wrote with it; deletions leave a
/// tombstone with their version. A gateway that has seen version `v` catches up by reading what changed
/// after `v`, so it never reloads the whole registry for one change. Versions are assigned in commit
/// order: a reader that sees a row of version `v` has seen every row of a lower version.
public protocol RegistryStore: Sendable {
    /// The entries written after `version` (all live entries for 0), with tombstones for the ones
    /// removed since, and the store's version.
    func changes(after version: Int64) async throws -> RegistryChanges

    /// The store's version: cheap, so that gateways can poll it.
    func currentVersion() async throws -> Int64

    /// Creates or replaces an entry (a removed one is created anew) and returns whether it was created
    /// and the entry as stored. The store tells the other gateways (``RegistryNotification/changed(version:)``)
    /// when the write commits. A token whose secret digest is another token's throws
    /// ``StorageError/conflict(_:)``.
    func put(_ entry: RegistryEntry) async throws -> RegistryWrite

    /// Removes an entry (leaving a tombstone) and tells the other gateways; returns whether it existed.
    func remove(_ kind: RegistryEntry.Kind, name: String, at timestamp: Int64) async throws -> Bool

    /// A 32-byte secret shared by every gateway of the store, created on first use (the key that
    /// authenticates opaque cursors, for example).
    func sharedKey(named name: String) async throws -> [UInt8]

    /// Takes the lease `name` for `owner` until `expiresAt` (epoch milliseconds) if nobody holds it, its
    /// holder's lease had run out by `now`, or `owner` holds it already (a renewal); returns whether
    /// `owner` holds it now. Atomic across every gateway of the store, so at most one holds a lease at a
    /// time: the retention sweeper of a fleet takes one per database, so each is swept by one gateway.
    func acquireLease(_ name: String, owner: String, until expiresAt: Int64, now: Int64) async throws -> Bool

    /// Notifications pushed by the store as other gateways write (Postgres `LISTEN`), or `nil` when the
    /// store has no push channel and gateways rely on polling ``currentVersion()``.
    func notifications() -> AsyncStream<RegistryNotification>?

    /// Tells every gateway of the fleet about an event (a batch-evaluation job started in a database).
    func publish(_ notification: RegistryNotification) async

    /// Releases connections and files.
    func close() async
}

/// One entry made through the admin API, as the registry store keeps it.
public struct RegistryEntry: Sendable, Equatable {
    /// What kind of entry.
    public enum Kind: String, Sendable, CaseIterable {
        /// A database (`db_id`).
        case database
        /// A bearer token.
        case token
    }

    /// The kind.
    public var kind: Kind
    /// The `db_id` or the token's name.
    public var name: String
    /// The entry as JSON text: a database's `{adapter, options, tables, rate, retention}`, a token's
    /// `{scopes, databases, rate}`. Read back through the same validation as the admin API body.
    public var definition: String
    /// A token's SHA-256 secret digest (never the secret); `nil` for databases.
    public var secretDigest: [UInt8]?
    /// When it was first created, epoch milliseconds.
    public var createdAt: Int64
    /// When it was last written, epoch milliseconds.
    public var updatedAt: Int64
    /// The registry version of its last write.
    public var version: Int64
    /// Whether this is a tombstone (the entry was removed at `version`).
    public var isRemoved: Bool

    /// Creates an entry to write (its version and creation time are set by the store).
    public init(
        kind: Kind, name: String, definition: String, secretDigest: [UInt8]? = nil,
        createdAt: Int64, updatedAt: Int64, version: Int64 = 0, isRemoved: Bool = false
    ) {
        self.kind = kind
        self.name = name
        self.definition = definition
        self.secretDigest = secretDigest
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.isRemoved = isRemoved
    }
}

/// What changed in a registry store after a version.
public struct RegistryChanges: Sendable {
    /// Entries written or removed after the version asked about, in version order.
    public var entries: [RegistryEntry]
    /// The store's version when read.
    public var version: Int64

    /// Creates a change set.
    public init(entries: [RegistryEntry], version: Int64) {
        self.entries = entries
        self.version = version
    }
}

/// The outcome of a write.
public struct RegistryWrite: Sendable {
    /// Whether the entry was new.
    public var created: Bool
    /// The entry as stored (with its version and creation time).
    public var entry: RegistryEntry

    /// Creates an outcome.
    public init(created: Bool, entry: RegistryEntry) {
        self.created = created
        self.entry = entry
    }
}

/// A message between the gateways of a fleet.
public enum RegistryNotification: Sendable, Equatable {
    /// The registry changed (to at least this version).
    case changed(version: Int64)
    /// A batch-evaluation job was started in this database: runners should look at it.
    case jobStarted(databaseID: String)

    /// The notification as text (a Postgres `NOTIFY` payload).
    public var payload: String {
        switch self {
        case .changed(let version): "v:\(version)"
        case .jobStarted(let id): "job:\(id)"
        }
    }

    /// Reads a payload written by ``payload``.
    public init?(payload: String) {
        if payload.hasPrefix("v:"), let version = Int64(payload.dropFirst(2)) {
            self = .changed(version: version)
        } else if payload.hasPrefix("job:") {
            self = .jobStarted(databaseID: String(payload.dropFirst(4)))
        } else {
            return nil
        }
    }
}

/// An adapter kind that can also keep the registry (`registry: {adapter: <kind>, …}`).
public protocol RegistryStoreAdapter: StorageAdapter {
    /// The option keys of a `registry:` section of this kind, besides `adapter`.
    var registryOptionKeys: Set<String> { get }

    /// Checks a `registry:` section's options without opening anything.
    func validateRegistry(_ options: AdapterOptions) throws(ConfigurationError)

    /// Opens the registry store (creating its tables when missing).
    func makeRegistryStore(options: AdapterOptions, logger: Logger) async throws -> any RegistryStore
}
