/// A token bucket: holds at most `burst` tokens, refills at `requestsPerSecond`, and admits a request
/// when it can take one token. Pure state, advanced by the times it is given, so its behaviour is
/// tested with a manual clock.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens available now (fractional while refilling).
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date, in seconds on the caller's clock.
    public private(set) var updatedAt: Double

    /// A full bucket for `rate` at time `now`.
    public init(rate: RateLimit, now: Double) {
        tokens = Double(rate.burst)
        updatedAt = now
    }

    /// Takes one token at time `now` under `rate`. Returns `nil` when admitted, else how long until a
    /// token will be available.
    public mutating func take(at now: Double, rate: RateLimit) -> Duration? {
        if now > updatedAt {
            tokens = min(Double(rate.burst), tokens + (now - updatedAt) * rate.requestsPerSecond)
            updatedAt = now
        }
        tokens = min(tokens, Double(rate.burst))
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .seconds((1 - tokens) / rate.requestsPerSecond)
    }
}
