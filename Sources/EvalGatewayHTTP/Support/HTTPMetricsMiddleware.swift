import Metrics
public import Hummingbird
import Synchronization

/// Records every request by route template, method and status (`evalgw_http_requests_total`) and its
/// latency (`evalgw_http_request_duration_seconds`). Routes are templates (`/eval-runs/{id}`) or
/// `unmatched`, methods a fixed set or `other`: no request can create a new series.
///
/// Metric handles are made once per series and kept, so the hot path is one dictionary lookup.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    private let handles: HandleCache

    /// Records into `factory`.
    public init(factory: any MetricsFactory) { self.handles = HandleCache(factory: factory) }

    private static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let method = Self.methods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        let series = handles.series(method: method, route: context.endpointPath ?? "unmatched", status: response.status.code)
        series.requests.increment()
        series.duration.record(duration: elapsed)
        return response
    }

    /// The counter and timer of each (method, route, status), made on first use.
    private final class HandleCache: Sendable {
        struct Key: Hashable {
            let method: String
            let route: String
            let status: Int
        }
        struct Series: Sendable {
            let requests: Counter
            let duration: Timer
        }
        private let factory: any MetricsFactory
        private let cache = Mutex<[Key: Series]>([:])

        init(factory: any MetricsFactory) { self.factory = factory }

        func series(method: String, route: String, status: Int) -> Series {
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
}
