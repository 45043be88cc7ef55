/// Any clock measured in `Duration`, behind one type: what time-dependent parts of the gateway (pools,
/// idle closing) take, so that production passes the continuous clock and tests a ``ManualClock``.
public struct AnyClock: Clock, Sendable {
    /// An instant: the time since the clock was wrapped.
    public struct Instant: InstantProtocol, Sendable {
        /// The time since the clock was wrapped.
        public var offset: Duration

        /// The instant `offset` after the clock was wrapped.
        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let readNow: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration, Duration?) async throws -> Void
    public let minimumResolution: Duration

    /// Wraps `clock`.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        readNow = { origin.duration(to: clock.now) }
        sleepUntil = { offset, tolerance in try await clock.sleep(until: origin.advanced(by: offset), tolerance: tolerance) }
        minimumResolution = clock.minimumResolution
    }

    /// The continuous clock (the one to use outside tests).
    public static var continuous: AnyClock { AnyClock(ContinuousClock()) }

    public var now: Instant { Instant(offset: readNow()) }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleepUntil(deadline.offset, tolerance)
    }
}
