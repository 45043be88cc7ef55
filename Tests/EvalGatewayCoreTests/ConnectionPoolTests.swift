import EvalGatewayCore
import Synchronization
import Testing

/// The pool at work, with connections that only record their life and a ``ManualClock``: timeouts and
/// idle closing happen when the test moves the clock, never by waiting.
@Suite struct ConnectionPoolTests {
    /// A connection that records when it is closed.
    final class FakeConnection: Sendable {
        let number: Int
        init(number: Int) { self.number = number }
    }

    /// Opens numbered connections (or fails, while `failing`), records closes, counts budget use.
    final class Backend: Sendable, ConnectionBudget {
        let opened = Atomic<Int>(0)
        let closed = Mutex<[Int]>([])
        let failing = Atomic<Bool>(false)
        let reservations = Atomic<Int>(0)
        let limit: Int

        init(limit: Int = .max) { self.limit = limit }

        func open() throws -> FakeConnection {
            if failing.load(ordering: .relaxed) { throw StorageError.unavailable(underlying: "connection refused", retryAfter: 5) }
            return FakeConnection(number: opened.wrappingAdd(1, ordering: .relaxed).oldValue)
        }

        func reserve() -> Bool {
            if reservations.wrappingAdd(1, ordering: .relaxed).newValue > limit {
                reservations.wrappingSubtract(1, ordering: .relaxed)
                return false
            }
            return true
        }

        func release() { reservations.wrappingSubtract(1, ordering: .relaxed) }
    }

    static func pool(_ backend: Backend, clock: ManualClock, max: Int = 2) -> ConnectionPool<FakeConnection> {
        ConnectionPool(
            label: "test",
            configuration: .init(maxConnections: max, idleTimeout: .seconds(300), waitTimeout: .seconds(5)),
            clock: AnyClock(clock),
            budget: backend,
            open: { try backend.open() },
            close: { connection in backend.closed.withLock { $0.append(connection.number) } }
        )
    }

    @Test func nothingIsOpenedUntilTheFirstBorrow() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock)
        #expect(backend.opened.load(ordering: .relaxed) == 0)
        #expect(pool.statistics == PoolStatistics(inUse: 0, idle: 0, waiting: 0))
        #expect(clock.sleeperCount == 0, "no timer either")
        let lease = try await pool.lease()
        #expect(lease.isFresh)
        #expect(pool.statistics == PoolStatistics(inUse: 1, idle: 0, waiting: 0))
        pool.release(lease, reusable: true)
        #expect(pool.statistics == PoolStatistics(inUse: 0, idle: 1, waiting: 0))
        let again = try await pool.lease()
        #expect(!again.isFresh && again.connection.number == lease.connection.number)
        pool.release(again, reusable: true)
        await pool.shutdown()
    }

    @Test func idleConnectionsCloseWhenTheClockPassesTheIdleTimeout() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock)
        let first = try await pool.lease()
        let second = try await pool.lease()
        pool.release(first, reusable: true)
        pool.release(second, reusable: true)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(299))
        #expect(pool.statistics.idle == 2)
        clock.advance(by: .seconds(1))
        await pool.waitUntil { $0.idle == 0 }
        #expect(Set(backend.closed.withLock { $0 }) == [0, 1])
        #expect(backend.reservations.load(ordering: .relaxed) >= 0)
        // Nothing open: no timer is left behind, and the next borrow opens a new connection.
        #expect(clock.sleeperCount == 0)
        let next = try await pool.lease()
        #expect(next.isFresh && next.connection.number == 2)
        pool.release(next, reusable: true)
        await pool.shutdown()
    }

    @Test func aWaitingBorrowTimesOutWhenTheClockPassesTheWaitTimeout() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock, max: 1)
        let held = try await pool.lease()
        let waiting = Task { try await pool.lease() }
        await pool.waitUntil { $0.waiting == 1 }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        await #expect {
            _ = try await waiting.value
        } throws: { error in
            guard case .unavailable? = (error as? StorageError)?.kind else { return false }
            return true
        }
        pool.release(held, reusable: true)
        await pool.shutdown()
    }

    @Test func aCancelledBorrowLeavesTheLineAtOnce() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock, max: 1)
        let held = try await pool.lease()
        let waiting = Task { try await pool.lease() }
        await pool.waitUntil { $0.waiting == 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(pool.statistics.waiting == 0)
        pool.release(held, reusable: true)
        await pool.shutdown()
    }

    @Test func aRequestsCancellationSignalStopsItsWait() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock, max: 1)
        let held = try await pool.lease()
        let signal = CancellationSignal()
        let waiting = Task { try await CancellationSignal.$current.withValue(signal) { try await pool.lease() } }
        await pool.waitUntil { $0.waiting == 1 }
        signal.fire()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        pool.release(held, reusable: true)
        await pool.shutdown()
    }

    @Test func aBrokenConnectionIsClosedAndTheNextBorrowGetsANewOne() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock)
        let broken = try await pool.lease()
        pool.release(broken, reusable: false)
        await pool.waitUntil { $0.idle == 0 && $0.inUse == 0 }
        let next = try await pool.lease()
        #expect(next.isFresh && next.connection.number != broken.connection.number)
        pool.release(next, reusable: true)
        await pool.shutdown()
        #expect(backend.closed.withLock { $0 }.sorted() == [0, 1])
    }

    @Test func aBackendThatIsDownFailsTheBorrowAtOnceAndRecovers() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock)
        backend.failing.store(true, ordering: .relaxed)
        await #expect { _ = try await pool.lease() } throws: { ($0 as? StorageError)?.kind == .unavailable }
        #expect(pool.statistics == PoolStatistics(inUse: 0, idle: 0, waiting: 0))
        backend.failing.store(false, ordering: .relaxed)
        let lease = try await pool.lease()
        pool.release(lease, reusable: true)
        await pool.shutdown()
    }

    @Test func theBudgetIsAskedBeforeEachConnectionAndRepaidOnClose() async throws {
        let backend = Backend(limit: 1), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock, max: 4)
        let first = try await pool.lease()
        #expect(backend.reservations.load(ordering: .relaxed) == 1)
        // The budget refuses a second connection: the borrow waits for the first to come back.
        let second = Task { try await pool.lease() }
        await pool.waitUntil { $0.waiting == 1 }
        pool.release(first, reusable: true)
        let lease = try await second.value
        #expect(lease.connection.number == first.connection.number)
        pool.release(lease, reusable: true)
        await pool.shutdown()
        #expect(backend.reservations.load(ordering: .relaxed) == 0)
    }

    @Test func shutdownFailsWaitersAndClosesEveryConnection() async throws {
        let backend = Backend(), clock = ManualClock()
        let pool = Self.pool(backend, clock: clock, max: 1)
        let held = try await pool.lease()
        let waiting = Task { try await pool.lease() }
        await pool.waitUntil { $0.waiting == 1 }
        async let stopped: Void = pool.shutdown()
        await #expect { _ = try await waiting.value } throws: { ($0 as? StorageError)?.kind == .unavailable }
        pool.release(held, reusable: true)
        await stopped
        #expect(backend.closed.withLock { $0 } == [0])
        await #expect { _ = try await pool.lease() } throws: { ($0 as? StorageError)?.kind == .unavailable }
    }
}
