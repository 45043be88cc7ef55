import EvalGatewayCore
public import Hummingbird

/// Binds the request's ``CancellationSignal`` (its connection's, see ``ClientDisconnectHandler``) to the
/// task that serves it, so that storage calls stop when the client goes away.
public struct ClientDisconnectMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let signal = context.cancellation else { return try await next(request, context) }
        return try await CancellationSignal.$current.withValue(signal) { try await next(request, context) }
    }
}
