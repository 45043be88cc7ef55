public import Metrics
import Synchronization

/// The request series of `/metrics`: requests by method, route template and status
/// (`evalgw_http_requests_total`) and their latency (`evalgw_http_request_duration_seconds`).
///
/// Methods are a fixed set or `other`, routes a template or `unmatched`, so no request can create a new
/// series. Each series' handles are made once and kept, so recording is one dictionary lookup.
public final class HTTPRequestMetrics: Sendable {
    private let factory: any MetricsFactory
    private let cache = Mutex<[Key: Series]>([:])

    private static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    /// Records into `factory`.
    public init(factory: any MetricsFactory) { self.factory = factory }

    /// Counts one request and records how long it took. `method` is kept if it is a common method,
    /// else recorded as `other`; `route` must be a route template or `unmatched`.
    public func record(method: String, route: String, status: Int, duration: Duration) {
        let series = series(method: Self.methods.contains(method) ? method : "other", route: route, status: status)
        series.requests.increment()
        series.duration.record(duration: duration)
    }

    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct Series: Sendable {
        let requests: Counter
        let duration: Timer
    }

    private func series(method: String, route: String, status: Int) -> Series {
        let key = Key(method: method, route: route, status: status)
        if let series = cache.withLock({ $0[key] }) { return series }
        let series = Series(
            requests: Counter(label: "evalgw_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory),
            duration: Timer(label: "evalgw_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
        )
        cache.withLock { $0[key] = series }
        return series
    }
}
