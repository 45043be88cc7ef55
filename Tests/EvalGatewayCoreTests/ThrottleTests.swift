import EvalGatewayCore
import Synchronization
import Testing

/// Token buckets under a manual clock: no sleeps.
@Suite struct ThrottleTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let seconds = Mutex(0.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(by delta: Double) { seconds.withLock { $0 += delta } }
    }

    @Test func aBucketAdmitsItsBurstThenRefillsAtItsRate() {
        let rate = RateLimit(requestsPerSecond: 2, burst: 3)
        var bucket = TokenBucket(rate: rate, now: 0)
        #expect(bucket.take(at: 0, rate: rate) == nil)
        #expect(bucket.take(at: 0, rate: rate) == nil)
        #expect(bucket.take(at: 0, rate: rate) == nil)
        #expect(bucket.take(at: 0, rate: rate) == .seconds(0.5))
        // A quarter second later half a token is back: still refused, a quarter second to go.
        #expect(bucket.take(at: 0.25, rate: rate) == .seconds(0.25))
        #expect(bucket.take(at: 0.5, rate: rate) == nil)
        // A long quiet period refills to the burst, not beyond.
        for _ in 0..<3 { #expect(bucket.take(at: 100, rate: rate) == nil) }
        #expect(bucket.take(at: 100, rate: rate) != nil)
    }

    @Test func eachTokenAndDatabaseHasItsOwnBucket() {
        let clock = ManualClock()
        let throttle = RequestThrottle(now: { clock.now })
        let rate = RateLimit(requestsPerSecond: 1, burst: 1)
        #expect(throttle.admit(.token, name: "a", rate: rate) == nil)
        #expect(throttle.admit(.token, name: "b", rate: rate) == nil)
        #expect(throttle.admit(.database, name: "a", rate: rate) == nil)
        let wait = throttle.admit(.token, name: "a", rate: rate)
        #expect(wait == .seconds(1))
        clock.advance(by: 1)
        #expect(throttle.admit(.token, name: "a", rate: rate) == nil)
    }

    @Test func retryAfterIsWholeSecondsAndAtLeastOne() {
        #expect(ThrottledError(scope: .token, name: "t", retryAfter: .milliseconds(10)).retryAfterSeconds == 1)
        #expect(ThrottledError(scope: .token, name: "t", retryAfter: .milliseconds(1500)).retryAfterSeconds == 2)
        #expect(ThrottledError(scope: .database, name: "tenant-a", retryAfter: .seconds(3)).message == "Rate limit exceeded for database 'tenant-a'")
        #expect(ThrottledError(scope: .token, name: "ci-reader", retryAfter: .seconds(3)).message == "Rate limit exceeded for token 'ci-reader'")
    }

    @Test func burstDefaultsToOneSecondsWorth() {
        #expect(RateLimit(requestsPerSecond: 2.5).burst == 3)
        #expect(RateLimit(requestsPerSecond: 0.1).burst == 1)
    }
}
