import EvalGatewayCore
public import Hummingbird

/// Authenticates `Authorization: Bearer <token>` against the configured tokens and puts the token in
/// the context. Scope and tenant checks happen in the routes, where the operation and database are known.
public struct BearerAuthMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    let policy: AccessPolicy

    /// Creates the middleware over `policy`.
    public init(policy: AccessPolicy) { self.policy = policy }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.token = try policy.authenticate(authorization: request.headers[.authorization])
        return try await next(request, context)
    }
}

/// Answers 405 with the error body, for the methods a path does not serve.
struct MethodNotAllowedResponder: Sendable {
    /// Registers 405 handlers on `path` for every common method not in `allowed`.
    static func register(on router: Router<GatewayRequestContext>, path: RouterPath, allowed: Set<HTTPRequest.Method>) {
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        let allow = all.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
        for method in all where !allowed.contains(method) {
            router.on(path, method: method) { _, context -> Response in
                var response = AgnoError(.methodNotAllowed, "Method Not Allowed").response(requestID: context.requestID)
                response.headers[.allow] = allow
                return response
            }
        }
    }
}
