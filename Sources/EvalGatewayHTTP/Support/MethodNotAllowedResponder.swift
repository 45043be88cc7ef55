import Hummingbird

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
