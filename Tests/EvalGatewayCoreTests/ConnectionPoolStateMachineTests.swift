import EvalGatewayCore
import Testing

/// The pool's decisions, event by event, at instants the test chooses: no clock, no threads.
@Suite struct ConnectionPoolStateMachineTests {
    typealias Machine = ConnectionPoolStateMachine<ManualClock.Instant>

    static func at(_ seconds: Double) -> ManualClock.Instant { ManualClock.Instant(offset: .milliseconds(Int64(seconds * 1000))) }

    static func machine(max: Int = 2) -> Machine {
        Machine(maxConnections: max, idleTimeout: .seconds(300), waitTimeout: .seconds(5))
    }

    @Test func aBorrowOpensAConnectionAndLendsItOnceOpen() {
        var pool = Self.machine()
        let borrow = pool.borrow(1, now: Self.at(0))
        #expect(borrow.open == 0)
        #expect(borrow.lease == nil)
        #expect(borrow.scheduleTimer == Self.at(5), "the wait's deadline")
        #expect(pool.waitingCount == 1 && pool.openingCount == 1)
        let opened = pool.connectionOpened(0, now: Self.at(0.1))
        #expect(opened.lease! == (1, 0))
        #expect(pool.leasedCount == 1 && pool.waitingCount == 0)
    }

    @Test func aReturnedConnectionIsReusedMostRecentFirst() {
        var pool = Self.machine()
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        _ = pool.connectionOpened(1, now: Self.at(0))
        _ = pool.release(0, reusable: true, now: Self.at(1))
        _ = pool.release(1, reusable: true, now: Self.at(2))
        #expect(pool.idleCount == 2)
        #expect(pool.borrow(3, now: Self.at(3)).lease! == (3, 1), "the most recently used")
        #expect(pool.borrow(4, now: Self.at(3)).lease! == (4, 0))
    }

    @Test func aFullPoolQueuesRequestsInOrderAndHandsOverOnRelease() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        let second = pool.borrow(2, now: Self.at(1))
        let third = pool.borrow(3, now: Self.at(2))
        #expect(second.open == nil && third.open == nil, "no more than max connections")
        #expect(pool.waitingCount == 2)
        #expect(pool.release(0, reusable: true, now: Self.at(3)).lease! == (2, 0))
        #expect(pool.release(0, reusable: true, now: Self.at(4)).lease! == (3, 0))
    }

    @Test func aWaitPastItsTimeoutFails() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        let wait = pool.borrow(2, now: Self.at(1))
        #expect(wait.scheduleTimer == nil, "the first borrow's timer, at 5, is earlier and still set")
        let early = pool.timerFired(now: Self.at(5))
        #expect(early.fail.isEmpty && early.scheduleTimer == Self.at(6))
        let fired = pool.timerFired(now: Self.at(6))
        #expect(fired.fail.map(\.request) == [2] && fired.fail.map(\.reason) == [.timedOut])
        #expect(pool.waitingCount == 0)
        // The connection, given back later, goes idle: nobody waits for it any more.
        #expect(pool.release(0, reusable: true, now: Self.at(7)).lease == nil)
        #expect(pool.idleCount == 1)
    }

    @Test func idleConnectionsCloseAfterTheIdleTimeoutAndNoTimerIsLeft() {
        var pool = Self.machine()
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        _ = pool.connectionOpened(1, now: Self.at(0))
        #expect(pool.timerFired(now: Self.at(5)).scheduleTimer == nil, "the borrows' wait timer: nobody waits any more")
        let first = pool.release(0, reusable: true, now: Self.at(10))
        #expect(first.scheduleTimer == Self.at(310))
        let second = pool.release(1, reusable: true, now: Self.at(20))
        #expect(second.scheduleTimer == nil, "a timer is set already, and earlier")
        let fired = pool.timerFired(now: Self.at(310))
        #expect(fired.close == [0])
        #expect(fired.scheduleTimer == Self.at(320), "for the next idle connection")
        let last = pool.timerFired(now: Self.at(320))
        #expect(last.close == [1])
        #expect(last.scheduleTimer == nil, "nothing open, nothing to time")
        #expect(pool.connectionCount == 0)
    }

    @Test func aConnectionUsedAgainIsNotClosedByAnOldTimer() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        _ = pool.release(0, reusable: true, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(200))
        _ = pool.release(0, reusable: true, now: Self.at(250))
        let fired = pool.timerFired(now: Self.at(300))
        #expect(fired.close.isEmpty)
        #expect(fired.scheduleTimer == Self.at(550))
    }

    @Test func aBrokenConnectionIsClosedAndReplacedOnlyForAWaitingRequest() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        let alone = pool.release(0, reusable: false, now: Self.at(1))
        #expect(alone.close == [0] && alone.open == nil)
        _ = pool.borrow(2, now: Self.at(2))
        _ = pool.connectionOpened(1, now: Self.at(2))
        _ = pool.borrow(3, now: Self.at(3))
        let replaced = pool.release(1, reusable: false, now: Self.at(4))
        #expect(replaced.close == [1] && replaced.open == 2)
        #expect(pool.connectionOpened(2, now: Self.at(4)).lease! == (3, 2))
    }

    @Test func aFailedOpenFailsTheOldestWaiterAtOnceAndRetriesForTheNext() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(0))
        let (retry, failed) = pool.connectionFailedToOpen(0, now: Self.at(1))
        #expect(failed == 1)
        #expect(retry.open == 1)
        let (last, failedAgain) = pool.connectionFailedToOpen(1, now: Self.at(2))
        #expect(failedAgain == 2 && last.open == nil)
        #expect(pool.connectionCount == 0 && pool.waitingCount == 0)
    }

    @Test func aBudgetThatRefusesLeavesTheRequestWaitingForItsTimeout() {
        var pool = Self.machine(max: 2)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionRefusedByBudget(0)
        #expect(pool.connectionCount == 0 && pool.waitingCount == 1)
        #expect(pool.timerFired(now: Self.at(5)).fail.map(\.reason) == [.timedOut])
    }

    @Test func aCancelledWaitLeavesTheLine() {
        var pool = Self.machine(max: 1)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(0))
        _ = pool.borrow(3, now: Self.at(0))
        #expect(pool.cancel(2).fail.map(\.reason) == [.cancelled])
        #expect(pool.cancel(2).fail.isEmpty, "only once")
        #expect(pool.release(0, reusable: true, now: Self.at(1)).lease! == (3, 0))
    }

    @Test func shutdownFailsWaitersClosesIdleAndClosesLentConnectionsOnReturn() {
        var pool = Self.machine(max: 2)
        _ = pool.borrow(1, now: Self.at(0))
        _ = pool.borrow(2, now: Self.at(0))
        _ = pool.connectionOpened(0, now: Self.at(0))
        _ = pool.connectionOpened(1, now: Self.at(0))
        _ = pool.release(1, reusable: true, now: Self.at(0))
        _ = pool.borrow(3, now: Self.at(0))  // takes 1 again
        _ = pool.borrow(4, now: Self.at(0))  // waits
        let shutdown = pool.shutDown()
        #expect(shutdown.fail.map(\.request) == [4] && shutdown.fail.map(\.reason) == [.shutDown])
        #expect(!shutdown.shutdownCompleted)
        #expect(pool.borrow(5, now: Self.at(1)).fail.map(\.reason) == [.shutDown])
        #expect(pool.release(0, reusable: true, now: Self.at(1)).close == [0])
        let last = pool.release(1, reusable: true, now: Self.at(1))
        #expect(last.close == [1] && last.shutdownCompleted)
    }
}
