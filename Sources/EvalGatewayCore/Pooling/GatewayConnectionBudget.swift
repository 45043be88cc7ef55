import Synchronization

/// `server.max_open_connections`: a cap on the backend connections (and SQLite handles) open at once
/// across every database of the gateway.
///
/// Every pool asks it before opening a connection. Under the limit the answer is yes. At the limit, the
/// connection idle the longest in any pool is closed to make room — the least recently used tenant gives
/// way to the one with work — and the answer is yes (the count runs over by the closes in flight, for the
/// moment they take). With nothing idle anywhere the answer is no: the pool's requests wait for one of its
/// own connections, or for a connection anywhere to close (the refused pools are told, in turn), or time
/// out as unavailable.
public final class GatewayConnectionBudget: ConnectionBudget {
    /// The most connections open at once.
    public let limit: Int
    private let state = Mutex(State())

    private struct State {
        var reserved = 0
        var pools: [ObjectIdentifier: WeakPool] = [:]
        var registrations = 0
        /// Pools refused a connection, told in turn as reservations come back.
        var refused: [WeakPool] = []
    }

    private struct WeakPool {
        weak var pool: (any IdleConnectionReclaiming)?
    }

    /// A budget of `limit` connections.
    public init(limit: Int) {
        precondition(limit >= 1, "a budget needs at least one connection")
        self.limit = limit
    }

    /// Connections reserved now.
    public var reserved: Int { state.withLock { $0.reserved } }

    public func reserve() -> Bool {
        let candidates: [any IdleConnectionReclaiming]? = state.withLock { state in
            if state.reserved < limit {
                state.reserved += 1
                return nil
            }
            return state.pools.values.compactMap(\.pool)
        }
        guard let candidates else { return true }
        // The least recently used idle connection anywhere gives way; when another caller has just
        // taken that one, the next longest idle does.
        let idle = candidates.compactMap { pool in pool.longestIdle.map { (pool, $0) } }.sorted { $0.1 > $1.1 }
        guard idle.contains(where: { pool, _ in pool.reclaimIdleConnection() }) else { return false }
        state.withLock { $0.reserved += 1 }
        return true
    }

    public func release() {
        state.withLock { $0.reserved -= 1 }
        // The first refused pool that still has a request waiting opens a connection.
        while let pool = nextRefusedPool() {
            if pool.budgetHasRoom() { return }
        }
    }

    private func nextRefusedPool() -> (any IdleConnectionReclaiming)? {
        state.withLock { state in
            while !state.refused.isEmpty {
                if let pool = state.refused.removeFirst().pool { return pool }
            }
            return nil
        }
    }

    public func notifyWhenRoom(_ pool: any IdleConnectionReclaiming) {
        state.withLock { state in
            guard !state.refused.contains(where: { $0.pool === pool }) else { return }
            state.refused.append(WeakPool(pool: pool))
        }
    }

    public func register(_ pool: any IdleConnectionReclaiming) {
        state.withLock { state in
            state.pools[ObjectIdentifier(pool)] = WeakPool(pool: pool)
            state.registrations += 1
            // Forget pools that are gone, now and then, so the table follows the live databases.
            if state.registrations % 1024 == 0 { state.pools = state.pools.filter { $0.value.pool != nil } }
        }
    }
}
