import EvalGatewayCore
public import Hummingbird
import HTTPTypes
import Logging

/// The outermost middleware: gives each request its id (the client's `X-Request-Id` when usable),
/// returns it in the `X-Request-Id` header and writes one log line per request.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let requestID = RequestID.accept(request.headers[.xRequestID]) {
            context.requestID = requestID
            context.logger[metadataKey: "hb.request.id"] = .string(requestID)
        }
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.requestID
        guard context.logger.logLevel <= .info else { return response }
        let milliseconds = (ContinuousClock.now - start).milliseconds
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: milliseconds)),
        ]
        if let target = context.trace.resolved {
            metadata["db_id"] = .string(target.databaseID)
            metadata["adapter"] = .string(target.adapter)
        }
        context.logger.info("request", metadata: metadata)
        return response
    }
}

private func String(format milliseconds: Double) -> String {
    let hundredths = Int((milliseconds * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
