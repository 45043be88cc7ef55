import EvalGatewayCore
import Synchronization
import Testing

/// `server.max_open_connections` across pools, under a manual clock: at the limit, the connection idle
/// the longest anywhere closes to make room; with nothing idle, the new connection is refused.
@Suite struct GatewayConnectionBudgetTests {
    typealias Backend = ConnectionPoolTests.Backend

    static func pool(_ backend: Backend, clock: ManualClock, budget: GatewayConnectionBudget) -> ConnectionPool<ConnectionPoolTests.FakeConnection> {
        ConnectionPool(
            label: "tenant",
            configuration: .init(maxConnections: 2, idleTimeout: .seconds(300), waitTimeout: .seconds(5)),
            clock: AnyClock(clock),
            budget: budget,
            open: { try backend.open() },
            close: { connection in backend.closed.withLock { $0.append(connection.number) } }
        )
    }

    @Test func theLeastRecentlyUsedIdleConnectionGivesWay() async throws {
        let clock = ManualClock()
        let budget = GatewayConnectionBudget(limit: 2)
        let (a, b, c) = (Backend(), Backend(), Backend())
        let (poolA, poolB, poolC) = (Self.pool(a, clock: clock, budget: budget), Self.pool(b, clock: clock, budget: budget), Self.pool(c, clock: clock, budget: budget))

        poolA.release(try await poolA.lease(), reusable: true)   // A idle since t = 0
        clock.advance(by: .seconds(10))
        poolB.release(try await poolB.lease(), reusable: true)   // B idle since t = 10
        #expect(budget.reserved == 2)

        // C needs a connection at the limit: A's, idle the longest, closes for it.
        let lease = try await poolC.lease()
        #expect(lease.isFresh)
        await poolA.waitUntil { $0.idle == 0 }
        #expect(a.closed.withLock { $0 } == [0])
        #expect(b.closed.withLock { $0 }.isEmpty)
        #expect(poolB.statistics.idle == 1)
        poolC.release(lease, reusable: true)
        await poolA.shutdown()
        await poolB.shutdown()
        await poolC.shutdown()
    }

    @Test func withNothingIdleTheNewConnectionIsRefused() async throws {
        let clock = ManualClock()
        let budget = GatewayConnectionBudget(limit: 1)
        let (a, b) = (Backend(), Backend())
        let (poolA, poolB) = (Self.pool(a, clock: clock, budget: budget), Self.pool(b, clock: clock, budget: budget))
        let held = try await poolA.lease()
        // A's connection is in use: B may not open one past the limit, and its request waits.
        let waiting = Task { try await poolB.lease() }
        await poolB.waitUntil { $0.waiting == 1 }
        #expect(b.opened.load(ordering: .relaxed) == 0, "B opened nothing past the limit")
        #expect(budget.reserved == 1)
        waiting.cancel()
        await #expect(throws: (any Error).self) { _ = try await waiting.value }
        poolA.release(held, reusable: true)
        // Now A's connection is idle: it gives way to B's next request.
        let lease = try await poolB.lease()
        #expect(lease.isFresh && b.opened.load(ordering: .relaxed) == 1)
        poolB.release(lease, reusable: true)
        await poolA.waitUntil { $0.idle == 0 }
        await poolA.shutdown()
        await poolB.shutdown()
    }

    /// A request refused a connection at the limit does not wait for its own pool's timeout when room
    /// comes back elsewhere: a connection closing anywhere lets it open one.
    @Test func aRefusedPoolOpensOnceAConnectionCloses() async throws {
        let clock = ManualClock()
        let budget = GatewayConnectionBudget(limit: 1)
        let (a, b) = (Backend(), Backend())
        let (poolA, poolB) = (Self.pool(a, clock: clock, budget: budget), Self.pool(b, clock: clock, budget: budget))
        let held = try await poolA.lease()
        let waiting = Task { try await poolB.lease() }
        await poolB.waitUntil { $0.waiting == 1 }
        #expect(b.opened.load(ordering: .relaxed) == 0)
        // A's connection breaks and closes: its reservation comes back, and B's waiting request gets it.
        poolA.release(held, reusable: false)
        let lease = try await waiting.value
        #expect(lease.isFresh && b.opened.load(ordering: .relaxed) == 1)
        #expect(budget.reserved == 1)
        poolB.release(lease, reusable: true)
        await poolA.shutdown()
        await poolB.shutdown()
    }

    /// A refused pool whose request has given up does not take the room that comes back: the next
    /// refused pool with a request waiting does.
    @Test func roomGoesToARefusedPoolThatStillWaits() async throws {
        let clock = ManualClock()
        let budget = GatewayConnectionBudget(limit: 1)
        let (a, b, c) = (Backend(), Backend(), Backend())
        let (poolA, poolB, poolC) = (Self.pool(a, clock: clock, budget: budget), Self.pool(b, clock: clock, budget: budget), Self.pool(c, clock: clock, budget: budget))
        let held = try await poolA.lease()
        let gaveUp = Task { try await poolB.lease() }
        await poolB.waitUntil { $0.waiting == 1 }
        let waiting = Task { try await poolC.lease() }
        await poolC.waitUntil { $0.waiting == 1 }
        gaveUp.cancel()
        await #expect(throws: (any Error).self) { _ = try await gaveUp.value }
        poolA.release(held, reusable: false)
        let lease = try await waiting.value
        #expect(lease.isFresh && c.opened.load(ordering: .relaxed) == 1)
        #expect(b.opened.load(ordering: .relaxed) == 0)
        poolC.release(lease, reusable: true)
        await poolA.shutdown()
        await poolB.shutdown()
        await poolC.shutdown()
    }
}
