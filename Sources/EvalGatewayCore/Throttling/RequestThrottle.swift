import Synchronization

/// What a rate limit applies to.
public enum ThrottleScope: String, Sendable {
    /// One bearer token or access key, across all databases.
    case token
    /// One database, across all tokens.
    case database
}

/// The token buckets of one gateway: one per token and one per database that has a rate, made on its
/// first request. Each gateway of a fleet enforces the rates on its own, so N gateways admit up to N
/// times a rate.
public final class RequestThrottle: Sendable {
    private struct Key: Hashable {
        let scope: ThrottleScope
        let name: String
    }

    private let buckets = Mutex<[Key: TokenBucket]>([:])
    private let now: @Sendable () -> Double

    /// A throttle reading time from `now` (seconds on any monotonic clock); by default the continuous
    /// clock.
    public init(now: @escaping @Sendable () -> Double = RequestThrottle.continuousSeconds) {
        self.now = now
    }

    /// Takes one request from the bucket of `name` in `scope` under `rate`. Returns `nil` when the
    /// request is admitted, else how long the client should wait.
    public func admit(_ scope: ThrottleScope, name: String, rate: RateLimit) -> Duration? {
        let time = now()
        return buckets.withLock { buckets in
            let key = Key(scope: scope, name: name)
            var bucket = buckets[key] ?? TokenBucket(rate: rate, now: time)
            let wait = bucket.take(at: time, rate: rate)
            buckets[key] = bucket
            return wait
        }
    }

    /// Forgets the bucket of `name` (a removed database or token).
    public func forget(_ scope: ThrottleScope, name: String) {
        _ = buckets.withLock { $0.removeValue(forKey: Key(scope: scope, name: name)) }
    }

    /// Seconds on the continuous clock.
    @Sendable public static func continuousSeconds() -> Double {
        let elapsed = ContinuousClock.now - reference
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let reference = ContinuousClock.now
}

/// A request refused by a rate limit: which one, and how long to wait.
public struct ThrottledError: Error, Sendable, Equatable {
    /// The token's or the database's limit.
    public var scope: ThrottleScope
    /// The token's name or the `db_id` (both from configuration, never from the request).
    public var name: String
    /// How long until the request would be admitted.
    public var retryAfter: Duration

    /// Creates the error.
    public init(scope: ThrottleScope, name: String, retryAfter: Duration) {
        self.scope = scope
        self.name = name
        self.retryAfter = retryAfter
    }

    /// `Retry-After` in whole seconds, at least 1.
    public var retryAfterSeconds: Int {
        let seconds = Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
        return max(1, Int(seconds.rounded(.up)))
    }

    /// "Rate limit exceeded for token 'ci-reader'" / "… for database 'tenant-a'".
    public var message: String { "Rate limit exceeded for \(scope == .token ? "token" : "database") '\(name)'" }
}
