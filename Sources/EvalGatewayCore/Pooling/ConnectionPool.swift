import Synchronization

/// A pool of connections of any kind, run by a ``ConnectionPoolStateMachine`` over an injected clock.
///
/// The pool opens nothing until it is first asked, opens connections as requests need them (up to
/// its size, and only when the ``ConnectionBudget`` agrees), lends the most recently used free one,
/// closes connections idle for the idle timeout, and fails a request that waits longer than the wait
/// timeout with ``StorageError/unavailable(underlying:retryAfter:)``. A request cancelled while it
/// waits (its task, or its ``CancellationSignal``) leaves the line with `CancellationError`.
///
/// It holds at most one timer task, and none when it has nothing open and nobody waiting. Tests pass a
/// ``ManualClock`` and move it instead of sleeping.
package final class ConnectionPool<Connection: Sendable>: Sendable {
    /// The sizes and times of a pool.
    package struct Configuration: Sendable {
        /// The most connections open at once.
        package var maxConnections: Int
        /// How long a connection may stay idle before it is closed.
        package var idleTimeout: Duration
        /// How long a request may wait for a connection.
        package var waitTimeout: Duration

        package init(maxConnections: Int, idleTimeout: Duration, waitTimeout: Duration) {
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.waitTimeout = waitTimeout
        }
    }

    /// A connection lent to one request; give it back with ``release(_:reusable:)``.
    package struct Lease: Sendable {
        /// The connection's id in the pool.
        package let id: Int
        /// The connection.
        package let connection: Connection
        /// Whether it was opened for this request (rather than used before).
        package let isFresh: Bool
    }

    private typealias Machine = ConnectionPoolStateMachine<AnyClock.Instant>

    private struct State {
        var machine: Machine
        var connections: [Int: Connection] = [:]
        var requests: [Int: CheckedContinuation<Lease, any Error>] = [:]
        /// Requests numbered but not in line yet, and those of them already cancelled.
        var arriving: Set<Int> = []
        var cancelledEarly: Set<Int> = []
        var nextRequestID = 0
        var timer: Task<Void, Never>?
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        /// Whether the machine has no connection left after shutdown.
        var isShutdownComplete = false
        /// Connections being closed now.
        var closing = 0
        var observers: [(predicate: @Sendable (PoolStatistics) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// What to do once the lock is released.
    private struct Effects {
        var lease: (CheckedContinuation<Lease, any Error>, Lease)?
        var failures: [(CheckedContinuation<Lease, any Error>, any Error)] = []
        var open: Int?
        var close: [Connection] = []
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        var observers: [CheckedContinuation<Void, Never>] = []
    }

    private let configuration: Configuration
    private let clock: AnyClock
    private let budget: any ConnectionBudget
    private let label: String
    private let openConnection: @Sendable () async throws -> Connection
    private let closeConnection: @Sendable (Connection) async -> Void
    private let state: Mutex<State>

    /// A pool that opens connections with `open` and closes them with `close`.
    /// - Parameter label: names the pool in error messages (for the log).
    package init(
        label: String,
        configuration: Configuration,
        clock: AnyClock,
        budget: any ConnectionBudget = UnlimitedConnectionBudget(),
        open: @escaping @Sendable () async throws -> Connection,
        close: @escaping @Sendable (Connection) async -> Void
    ) {
        self.label = label
        self.configuration = configuration
        self.clock = clock
        self.budget = budget
        self.openConnection = open
        self.closeConnection = close
        self.state = Mutex(State(machine: Machine(
            maxConnections: configuration.maxConnections, idleTimeout: configuration.idleTimeout, waitTimeout: configuration.waitTimeout
        )))
        budget.register(self)
    }

    /// Connections lent out (or being opened for a request), idle, and requests waiting.
    package var statistics: PoolStatistics {
        state.withLock { Self.statistics(of: $0.machine) }
    }

    private static func statistics(of machine: Machine) -> PoolStatistics {
        PoolStatistics(inUse: machine.leasedCount + machine.openingCount, idle: machine.idleCount, waiting: machine.waitingCount)
    }

    /// The connections open now (idle or lent out).
    package var openConnections: [Connection] {
        state.withLock { Array($0.connections.values) }
    }

    // MARK: - Borrowing

    /// Borrows a connection: a free one at once, else a new one or the next to come free.
    package func lease() async throws -> Lease {
        let request = state.withLock { state in
            state.nextRequestID += 1
            state.arriving.insert(state.nextRequestID)
            return state.nextRequestID
        }
        return try await CancellationSignal.whileRunning {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let effects = state.withLock { state -> Effects in
                    state.arriving.remove(request)
                    if state.cancelledEarly.remove(request) != nil {
                        var effects = Effects()
                        effects.failures.append((continuation, CancellationError()))
                        return effects
                    }
                    state.requests[request] = continuation
                    let actions = state.machine.borrow(request, now: clock.now)
                    return collect(actions, in: &state)
                }
                perform(effects)
            }
        } onCancel: { [self] in
            let effects = state.withLock { state -> Effects in
                if state.arriving.contains(request) {
                    state.cancelledEarly.insert(request)
                    return Effects()
                }
                return collect(state.machine.cancel(request), in: &state)
            }
            perform(effects)
        }
    }

    /// Gives a connection back; `reusable: false` closes it (it broke, or its session is in an unknown
    /// state).
    package func release(_ lease: Lease, reusable: Bool) {
        let effects = state.withLock { state in
            collect(state.machine.release(lease.id, reusable: reusable, now: clock.now), in: &state)
        }
        perform(effects)
    }

    /// Borrows a connection, runs `body` with it and gives it back; `body` says whether the connection
    /// can be reused after it (a connection whose `body` threw is given back as `reusable`).
    package func withConnection<T>(_ body: (Lease) async throws -> (result: T, reusable: Bool)) async throws -> T {
        let lease = try await lease()
        do {
            let (result, reusable) = try await body(lease)
            release(lease, reusable: reusable)
            return result
        } catch {
            release(lease, reusable: true)
            throw error
        }
    }

    // MARK: - Shutdown

    /// Stops the pool: waiting requests fail, idle connections close now, lent ones when given back.
    /// Returns when every connection is closed.
    package func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let effects = state.withLock { state -> Effects in
                if state.isShutdownComplete, state.closing == 0 {
                    var effects = Effects()
                    effects.shutdownWaiters.append(continuation)
                    return effects
                }
                state.shutdownWaiters.append(continuation)
                state.timer?.cancel()
                state.timer = nil
                return collect(state.machine.shutDown(), in: &state)
            }
            perform(effects)
        }
    }

    /// Waits until the pool's statistics satisfy `predicate` (for tests and diagnostics).
    package func waitUntil(_ predicate: @escaping @Sendable (PoolStatistics) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if predicate(Self.statistics(of: state.machine)) { return true }
                state.observers.append((predicate, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    // MARK: - Carrying out actions

    /// Turns the machine's actions into effects, taking connections and continuations out of the state.
    private func collect(_ actions: Machine.Actions, in state: inout State) -> Effects {
        var effects = Effects()
        if let (request, connection) = actions.lease, let continuation = state.requests.removeValue(forKey: request) {
            if let open = state.connections[connection] {
                effects.lease = (continuation, Lease(id: connection, connection: open, isFresh: false))
            }
        }
        for (request, reason) in actions.fail {
            guard let continuation = state.requests.removeValue(forKey: request) else { continue }
            effects.failures.append((continuation, error(for: reason)))
        }
        for connection in actions.close {
            if let closed = state.connections.removeValue(forKey: connection) {
                effects.close.append(closed)
                state.closing += 1
            }
        }
        effects.open = actions.open
        if let instant = actions.scheduleTimer {
            // Set under the lock, so that timers are replaced in the order the machine asked for them.
            state.timer?.cancel()
            state.timer = timerTask(firingAt: instant)
        }
        if actions.shutdownCompleted { state.isShutdownComplete = true }
        if state.isShutdownComplete, state.closing == 0 {
            effects.shutdownWaiters = state.shutdownWaiters
            state.shutdownWaiters.removeAll()
        }
        if !state.observers.isEmpty {
            let statistics = Self.statistics(of: state.machine)
            state.observers.removeAll { observer in
                guard observer.predicate(statistics) else { return false }
                effects.observers.append(observer.continuation)
                return true
            }
        }
        return effects
    }

    private func perform(_ effects: Effects) {
        if let (continuation, lease) = effects.lease { continuation.resume(returning: lease) }
        for (continuation, error) in effects.failures { continuation.resume(throwing: error) }
        for connection in effects.close {
            Task.detached { [self] in
                await closeConnection(connection)
                budget.release()
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.closing -= 1
                    guard state.isShutdownComplete, state.closing == 0 else { return [] }
                    defer { state.shutdownWaiters.removeAll() }
                    return state.shutdownWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
        if let connection = effects.open { open(connection) }
        for waiter in effects.shutdownWaiters { waiter.resume() }
        for observer in effects.observers { observer.resume() }
    }

    private func open(_ connection: Int) {
        guard budget.reserve() else {
            let effects = state.withLock { state in collect(state.machine.connectionRefusedByBudget(connection), in: &state) }
            budget.notifyWhenRoom(self)
            perform(effects)
            return
        }
        // Detached: the connection serves every request of the pool, so no one request's cancellation
        // (its task, its CancellationSignal) may stop the connect.
        Task.detached { [self] in
            do {
                let opened = try await openConnection()
                let effects = state.withLock { state -> Effects in
                    state.connections[connection] = opened
                    let actions = state.machine.connectionOpened(connection, now: clock.now)
                    var effects = collect(actions, in: &state)
                    // A connection opened for a request is lent as fresh: no need to check it first.
                    if let (continuation, lease) = effects.lease, lease.id == connection {
                        effects.lease = (continuation, Lease(id: connection, connection: opened, isFresh: true))
                    }
                    return effects
                }
                perform(effects)
            } catch {
                budget.release()
                let effects = state.withLock { state -> Effects in
                    let (actions, failed) = state.machine.connectionFailedToOpen(connection, now: clock.now)
                    var effects = collect(actions, in: &state)
                    if let failed, let continuation = state.requests.removeValue(forKey: failed) {
                        effects.failures.append((continuation, error))
                    }
                    return effects
                }
                perform(effects)
            }
        }
    }

    private func timerTask(firingAt instant: AnyClock.Instant) -> Task<Void, Never> {
        let clock = clock
        return Task.detached { [weak self] in
            do {
                try await clock.sleep(until: instant, tolerance: nil)
            } catch {
                return
            }
            self?.timerFired()
        }
    }

    private func timerFired() {
        let effects = state.withLock { state in
            collect(state.machine.timerFired(now: clock.now), in: &state)
        }
        perform(effects)
    }

    private func error(for reason: PoolFailure) -> any Error {
        switch reason {
        case .cancelled:
            CancellationError()
        case .timedOut:
            StorageError.unavailable(
                underlying: "\(label): no connection came free within \(configuration.waitTimeout) (pool of \(configuration.maxConnections))",
                retryAfter: 1
            )
        case .shutDown:
            StorageError.unavailable(underlying: "\(label): the connection pool is closed", retryAfter: 5)
        }
    }
}

extension ConnectionPool: IdleConnectionReclaiming {
    /// How long the connection idle the longest has been idle.
    package var longestIdle: Duration? {
        state.withLock { state in state.machine.oldestIdleSince.map { $0.duration(to: clock.now) } }
    }

    /// Closes the connection idle the longest; returns whether there was one.
    package func reclaimIdleConnection() -> Bool {
        let effects = state.withLock { state in collect(state.machine.reclaimOldestIdle(), in: &state) }
        let reclaimed = !effects.close.isEmpty
        perform(effects)
        return reclaimed
    }

    /// Opens a connection for the requests still waiting after the budget refused one.
    package func budgetHasRoom() -> Bool {
        let effects = state.withLock { state in collect(state.machine.retryOpening(), in: &state) }
        perform(effects)
        return effects.open != nil
    }
}
