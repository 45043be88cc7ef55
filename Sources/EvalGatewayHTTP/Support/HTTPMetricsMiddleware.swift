import CoreMetrics
public import Hummingbird

/// Records every request by route template, method and status (`evalgw_http_requests_total`) and its
/// latency (`evalgw_http_request_duration_seconds`). Routes are templates (`/eval-runs/{id}`) or
/// `unmatched`, methods a fixed set or `other`: no request can create a new series.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    let factory: any MetricsFactory

    /// Records into `factory`.
    public init(factory: any MetricsFactory) { self.factory = factory }

    private static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let method = Self.methods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        let route = context.endpointPath ?? "unmatched"
        let elapsed = ContinuousClock.now - start
        Counter(label: "evalgw_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(response.status.code))], factory: factory)
            .increment()
        Timer(label: "evalgw_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }
}
