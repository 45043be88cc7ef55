import Synchronization

/// The databases and tokens the gateway serves right now, and the rules that turn a request's `db_id`
/// and `table` into one of them.
///
/// The catalog is live: the tenant registry adds, replaces and removes entries while requests are being
/// served. A resolution is one dictionary lookup under a lock, and sees an entry either before or after
/// a change, never half of one. An entry that is removed or replaced takes no new request; requests that
/// already resolved it finish on the store they hold, and the store closes when the last of them lets
/// go of it (see ``TenantStore``).
public final class DatabaseCatalog: Sendable {
    private struct State {
        var databases: [String: RegisteredDatabase]
        var declaredOrder: [String]
        var defaultDatabaseID: String?
        var tokens: [String: RegisteredToken]
        var access: AccessPolicy
        var sigV4: SigV4Configuration?
    }

    private let state: Mutex<State>
    private let jobListeners = Mutex<[@Sendable (String) -> Void]>([])

    /// A catalog over open databases, declared in this order, and these tokens.
    public init(
        databases: [RegisteredDatabase],
        defaultDatabaseID: String? = nil,
        tokens: [RegisteredToken] = [],
        sigV4: SigV4Configuration? = nil
    ) {
        var byID: [String: RegisteredDatabase] = [:]
        var order: [String] = []
        for database in databases where byID[database.id] == nil {
            byID[database.id] = database
            order.append(database.id)
        }
        let tokensByName = Dictionary(tokens.map { ($0.token.name, $0) }, uniquingKeysWith: { first, _ in first })
        state = Mutex(State(
            databases: byID,
            declaredOrder: order,
            defaultDatabaseID: defaultDatabaseID,
            tokens: tokensByName,
            access: AccessPolicy(tokens: tokens.map(\.token), sigV4: sigV4),
            sigV4: sigV4
        ))
    }

    // MARK: - Reading

    /// The database registered under `id` (case-sensitive).
    public func database(id: String) -> RegisteredDatabase? { state.withLock { $0.databases[id] } }

    /// Every database: the declared ones in file order, then the others by `db_id`.
    public var databases: [RegisteredDatabase] {
        state.withLock { state in
            let declared = state.declaredOrder.compactMap { state.databases[$0] }.filter { $0.source == .config }
            let declaredIDs = Set(declared.map(\.id))
            let others = state.databases.values.filter { !declaredIDs.contains($0.id) }
            return declared + others.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        }
    }

    /// The number of databases.
    public var count: Int { state.withLock { $0.databases.count } }

    /// The database used when a request names none and several are registered.
    public var defaultDatabaseID: String? { state.withLock { $0.defaultDatabaseID } }

    /// The tokens and access keys in force.
    public var access: AccessPolicy { state.withLock { $0.access } }

    /// Every bearer token, by name.
    public var tokens: [RegisteredToken] {
        state.withLock { Array($0.tokens.values) }.sorted { $0.token.name.utf8.lexicographicallyPrecedes($1.token.name.utf8) }
    }

    /// The token named `name`.
    public func token(named name: String) -> RegisteredToken? { state.withLock { $0.tokens[name] } }

    /// Resolves a request's `db_id` and `table` query parameters (an empty string counts as absent):
    /// 1. a `table` without a `db_id` is refused;
    /// 2. without a `db_id`, the only database, else the configured default, else refused;
    /// 3. an unknown `db_id` is not found — and so is one the caller's token may not touch, with the same
    ///    answer, so that a token cannot learn whether another tenant's database exists;
    /// 4. a `table` must be one registered for that database.
    public func resolve(databaseID rawDatabaseID: String?, table rawTable: String?, for token: AccessToken? = nil) throws(ResolutionError) -> ResolvedTable {
        let databaseID = rawDatabaseID.flatMap { $0.isEmpty ? nil : $0 }
        let table = rawTable.flatMap { $0.isEmpty ? nil : $0 }
        let database: RegisteredDatabase
        if let databaseID {
            guard let found = self.database(id: databaseID), token?.mayAccess(databaseID: databaseID) ?? true else {
                throw .notFound("No database found with id '\(databaseID)'")
            }
            database = found
        } else {
            if table != nil {
                throw .badRequest("The db_id query parameter is required when passing a table")
            }
            let implicit: RegisteredDatabase? = state.withLock { state in
                if state.databases.count == 1 { return state.databases.values.first }
                return state.defaultDatabaseID.flatMap { state.databases[$0] }
            }
            guard let implicit else {
                throw .badRequest("The db_id query parameter is required when using multiple databases")
            }
            guard token?.mayAccess(databaseID: implicit.id) ?? true else {
                throw .notFound("No database found with id '\(implicit.id)'")
            }
            database = implicit
        }
        guard let table else {
            return ResolvedTable(database: database, table: database.configuration.defaultTable)
        }
        guard database.configuration.tables.contains(table) else {
            throw .notFound("No database with id '\(database.id)' has table '\(table)'")
        }
        return ResolvedTable(database: database, table: table)
    }

    // MARK: - Changing

    /// Adds or replaces databases (keyed by id) and removes the ids given with `nil`, in one step.
    /// Returns the entries that were replaced or removed, so their stores can be released.
    @discardableResult
    public func apply(databases changes: [String: RegisteredDatabase?]) -> [RegisteredDatabase] {
        state.withLock { state in
            var previous: [RegisteredDatabase] = []
            for (id, database) in changes {
                let old = state.databases[id]
                state.databases[id] = database
                if let old { previous.append(old) }
            }
            return previous
        }
    }

    /// Adds or replaces tokens (keyed by name) and removes the names given with `nil`, in one step.
    public func apply(tokens changes: [String: RegisteredToken?]) {
        state.withLock { state in
            for (name, token) in changes { state.tokens[name] = token }
            state.access = AccessPolicy(tokens: state.tokens.values.map(\.token), sigV4: state.sigV4)
        }
    }

    // MARK: - Job announcements

    /// Calls `listener` with the `db_id` of every batch-evaluation job started from now on (the runner
    /// wakes for it; the registry tells the rest of the fleet).
    public func onJobStarted(_ listener: @escaping @Sendable (String) -> Void) {
        jobListeners.withLock { $0.append(listener) }
    }

    /// Announces a batch-evaluation job started in database `id`.
    public func announceJobStarted(databaseID id: String) {
        for listener in jobListeners.withLock({ $0 }) { listener(id) }
    }

    // MARK: - Operations over every database

    /// Samples every open pooled store's connection gauges.
    public func samplePools() {
        for database in databases {
            (database.store as? TenantStore)?.samplePool()
        }
    }

    /// Shuts every store down.
    public func shutdown() async {
        for database in databases { await database.store.shutdown() }
    }
}
