public import Metrics
public import Hummingbird

/// Records every request the router answers into ``HTTPRequestMetrics``, by route template, method and
/// status.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    private let metrics: HTTPRequestMetrics

    /// Records into `metrics`.
    public init(metrics: HTTPRequestMetrics) { self.metrics = metrics }

    /// Records into a series cache of its own over `factory`.
    public init(factory: any MetricsFactory) { self.init(metrics: HTTPRequestMetrics(factory: factory)) }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(
            method: request.method.rawValue,
            route: context.endpointPath ?? "unmatched",
            status: response.status.code,
            duration: ContinuousClock.now - start
        )
        return response
    }
}
