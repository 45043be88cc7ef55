/// The decisions of a connection pool, without I/O, threads or clocks: each event (a borrow, a
/// connection opened or lost, a release, a timer) goes in with the current time, and what to do comes
/// out as ``Actions`` — lend this connection to that request, open one, close these, fail those, set
/// the timer. ``ConnectionPool`` carries them out; tests drive it directly, with instants of their own.
///
/// Rules:
/// - a free connection is lent at once, the most recently used first (so that a pool past its peak
///   lets the rest go idle and close);
/// - otherwise a new connection is opened while fewer than `maxConnections` exist, and the request
///   waits for the first connection to come free; requests are served in arrival order;
/// - a request that waits longer than `waitTimeout` fails with ``PoolFailure/timedOut``;
/// - a connection idle for `idleTimeout` is closed; nothing is open and no timer is set when the pool
///   has no work;
/// - a connection given back as broken is closed and replaced only if a request waits;
/// - after ``shutDown()``, requests fail, idle connections close, and lent ones close when given back.
package struct ConnectionPoolStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// A connection of this pool.
    package typealias ConnectionID = Int
    /// One borrow.
    package typealias RequestID = Int

    /// What the pool must do after an event.
    package struct Actions: Sendable {
        /// Lend `connection` to `request`.
        package var lease: (request: RequestID, connection: ConnectionID)?
        /// Open a new connection with this id, then report ``connectionOpened(_:now:)`` or
        /// ``connectionFailedToOpen(_:now:)``.
        package var open: ConnectionID?
        /// Close these connections.
        package var close: [ConnectionID] = []
        /// Fail these requests.
        package var fail: [(request: RequestID, reason: PoolFailure)] = []
        /// Call ``timerFired(now:)`` at this instant.
        package var scheduleTimer: Instant?
        /// The last connection closed after ``shutDown()``.
        package var shutdownCompleted = false

        package init() {}
    }

    private enum Slot {
        case opening
        case idle
        case leased
    }

    private struct Waiter {
        let request: RequestID
        let deadline: Instant
    }

    /// The most connections open (or opening) at once.
    package let maxConnections: Int
    /// How long a connection may stay idle before it is closed.
    package let idleTimeout: Duration
    /// How long a request may wait for a connection.
    package let waitTimeout: Duration

    private var slots: [ConnectionID: Slot] = [:]
    /// Idle connections and when they became idle, the most recent last.
    private var idle: [(connection: ConnectionID, since: Instant)] = []
    /// Requests waiting for a connection, in arrival order (deadlines in the same order).
    private var waiters: [Waiter] = []
    private var waitersStart = 0
    private var nextConnectionID = 0
    private var timerAt: Instant?
    private var isShutDown = false

    /// A pool that opens at most `maxConnections`.
    package init(maxConnections: Int, idleTimeout: Duration, waitTimeout: Duration) {
        precondition(maxConnections >= 1, "a pool needs at least one connection")
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.waitTimeout = waitTimeout
    }

    // MARK: - State

    /// Connections lent out now.
    package var leasedCount: Int { slots.count - idle.count - openingCount }
    /// Open connections waiting for work.
    package var idleCount: Int { idle.count }
    /// Connections being opened.
    package private(set) var openingCount = 0
    /// Requests waiting for a connection.
    package var waitingCount: Int { waiters.count - waitersStart }
    /// Connections open or being opened.
    package var connectionCount: Int { slots.count }

    // MARK: - Events

    /// A request wants a connection.
    package mutating func borrow(_ request: RequestID, now: Instant) -> Actions {
        var actions = Actions()
        if isShutDown {
            actions.fail.append((request, .shutDown))
            return actions
        }
        if let (connection, _) = idle.popLast() {
            slots[connection] = .leased
            actions.lease = (request, connection)
            return actions
        }
        enqueue(request, now: now, into: &actions)
        if slots.count < maxConnections { actions.open = startOpening() }
        return actions
    }

    /// When the connection idle the longest became idle, if one is idle.
    package var oldestIdleSince: Instant? { idle.first?.since }

    /// Closes the connection idle the longest, if any, so that another pool may open one under a
    /// gateway-wide limit.
    package mutating func reclaimOldestIdle() -> Actions {
        var actions = Actions()
        guard !isShutDown, !idle.isEmpty else { return actions }
        let (connection, _) = idle.removeFirst()
        slots[connection] = nil
        actions.close.append(connection)
        return actions
    }

    /// A connection asked for by ``Actions/open`` is ready.
    package mutating func connectionOpened(_ connection: ConnectionID, now: Instant) -> Actions {
        var actions = Actions()
        guard case .opening? = slots[connection] else { return actions }
        openingCount -= 1
        if isShutDown {
            slots[connection] = nil
            actions.close.append(connection)
            actions.shutdownCompleted = slots.isEmpty
            return actions
        }
        if let waiter = dequeue() {
            slots[connection] = .leased
            actions.lease = (waiter.request, connection)
        } else {
            makeIdle(connection, now: now, into: &actions)
        }
        return actions
    }

    /// A connection asked for by ``Actions/open`` could not be opened: the oldest waiting request gets
    /// the error (so a backend that is down is reported at once, not after the wait timeout), and the
    /// next waiting request, if any, gets a new attempt.
    package mutating func connectionFailedToOpen(_ connection: ConnectionID, now: Instant) -> (actions: Actions, failed: RequestID?) {
        var actions = Actions()
        guard case .opening? = slots[connection] else { return (actions, nil) }
        slots[connection] = nil
        openingCount -= 1
        if isShutDown {
            actions.shutdownCompleted = slots.isEmpty
            return (actions, nil)
        }
        let failed = dequeue()?.request
        if waitingCount > openingCount, slots.count < maxConnections { actions.open = startOpening() }
        return (actions, failed)
    }

    /// The connection budget refused the connection asked for by ``Actions/open``: it is not opened, and
    /// waiting requests keep waiting for a connection to come free (or time out).
    package mutating func connectionRefusedByBudget(_ connection: ConnectionID) -> Actions {
        var actions = Actions()
        guard case .opening? = slots[connection] else { return actions }
        slots[connection] = nil
        openingCount -= 1
        if isShutDown { actions.shutdownCompleted = slots.isEmpty }
        return actions
    }

    /// The connection budget has room again after refusing a connection: one is opened if requests are
    /// still waiting for more connections than are being opened.
    package mutating func retryOpening() -> Actions {
        var actions = Actions()
        if !isShutDown, waitingCount > openingCount, slots.count < maxConnections { actions.open = startOpening() }
        return actions
    }

    /// A request gives its connection back; `reusable: false` when it is broken.
    package mutating func release(_ connection: ConnectionID, reusable: Bool, now: Instant) -> Actions {
        var actions = Actions()
        guard case .leased? = slots[connection] else { return actions }
        if isShutDown || !reusable {
            slots[connection] = nil
            actions.close.append(connection)
            if isShutDown {
                actions.shutdownCompleted = slots.isEmpty
            } else if waitingCount > openingCount {
                actions.open = startOpening()
            }
            return actions
        }
        if let waiter = dequeue() {
            actions.lease = (waiter.request, connection)
        } else {
            makeIdle(connection, now: now, into: &actions)
        }
        return actions
    }

    /// A waiting request gave up (its task was cancelled).
    package mutating func cancel(_ request: RequestID) -> Actions {
        var actions = Actions()
        if let index = waiters[waitersStart...].firstIndex(where: { $0.request == request }) {
            waiters.remove(at: index)
            actions.fail.append((request, .cancelled))
        }
        return actions
    }

    /// The timer set by ``Actions/scheduleTimer`` fired: waits past their deadline fail, connections idle
    /// for `idleTimeout` close, and the timer is set again if anything is left to time.
    package mutating func timerFired(now: Instant) -> Actions {
        var actions = Actions()
        if let scheduled = timerAt, scheduled <= now { timerAt = nil }
        while let first = waiters[waitersStart...].first, first.deadline <= now {
            _ = dequeue()
            actions.fail.append((first.request, .timedOut))
        }
        while let oldest = idle.first, now >= oldest.since.advanced(by: idleTimeout) {
            idle.removeFirst()
            slots[oldest.connection] = nil
            actions.close.append(oldest.connection)
        }
        scheduleTimerIfNeeded(into: &actions)
        return actions
    }

    /// Stops the pool: waiting requests fail, idle connections close, lent and opening ones close when
    /// they come back.
    package mutating func shutDown() -> Actions {
        var actions = Actions()
        guard !isShutDown else { return actions }
        isShutDown = true
        while let waiter = dequeue() { actions.fail.append((waiter.request, .shutDown)) }
        for (connection, _) in idle {
            slots[connection] = nil
            actions.close.append(connection)
        }
        idle.removeAll()
        actions.shutdownCompleted = slots.isEmpty
        return actions
    }

    // MARK: - Helpers

    private mutating func startOpening() -> ConnectionID {
        let connection = nextConnectionID
        nextConnectionID += 1
        slots[connection] = .opening
        openingCount += 1
        return connection
    }

    private mutating func enqueue(_ request: RequestID, now: Instant, into actions: inout Actions) {
        if waitersStart > 32, waitersStart * 2 > waiters.count {
            waiters.removeFirst(waitersStart)
            waitersStart = 0
        }
        waiters.append(Waiter(request: request, deadline: now.advanced(by: waitTimeout)))
        scheduleTimerIfNeeded(into: &actions)
    }

    private mutating func dequeue() -> Waiter? {
        guard waitersStart < waiters.count else { return nil }
        let waiter = waiters[waitersStart]
        waitersStart += 1
        if waitersStart == waiters.count {
            waiters.removeAll(keepingCapacity: true)
            waitersStart = 0
        }
        return waiter
    }

    private mutating func makeIdle(_ connection: ConnectionID, now: Instant, into actions: inout Actions) {
        slots[connection] = .idle
        idle.append((connection, now))
        scheduleTimerIfNeeded(into: &actions)
    }

    /// Sets the timer for the earliest deadline (a wait or an idle connection), unless one is set at or
    /// before it already.
    private mutating func scheduleTimerIfNeeded(into actions: inout Actions) {
        var next = waiters[waitersStart...].first?.deadline
        if let oldest = idle.first {
            let closeAt = oldest.since.advanced(by: idleTimeout)
            next = next.map { min($0, closeAt) } ?? closeAt
        }
        guard let next else { return }
        if let timerAt, timerAt <= next { return }
        timerAt = next
        actions.scheduleTimer = next
    }
}

/// Why a pool did not lend a connection.
package enum PoolFailure: Error, Sendable, Equatable {
    /// No connection came free within the wait timeout.
    case timedOut
    /// The request was cancelled while it waited.
    case cancelled
    /// The pool is shut down.
    case shutDown
}
