import EvalGatewayCore
public import Hummingbird
import Logging

/// Turns every error on the AgentCore route group into an AWS rest-json error (``AgentCoreError``), and
/// puts the request id in `x-amzn-RequestId` on every response of the group.
///
/// Installed on the group, inside the router's Agno error middleware, so it sees the group's errors
/// first. Storage errors keep their driver text out of the body: a 5xx carries a sentence and the request
/// id, and the log line with the same request id carries the underlying error.
public struct AgentCoreErrorMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let (awsError, underlying) = Self.agentCoreError(for: error, requestID: context.requestID)
            if awsError.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: ["status": .stringConvertible(awsError.status.code), "error": .string(underlying ?? awsError.message)]
                )
            }
            response = awsError.response(requestID: context.requestID)
        }
        response.headers[.xAmznRequestID] = context.requestID
        return response
    }

    /// The client-facing error for `error`, and the text for the log.
    static func agentCoreError(for error: any Error, requestID: String) -> (AgentCoreError, String?) {
        switch error {
        case let error as AgentCoreError:
            return (error, nil)
        case let error as ResolutionError:
            switch error {
            case .badRequest(let message): return (.validation(message), nil)
            case .notFound(let message): return (.notFound(message), nil)
            }
        case let error as AccessError:
            switch error {
            case .missingCredentials, .invalidToken:
                return (AgentCoreError(type: "UnauthorizedException", status: .unauthorized, message: error.message), nil)
            case .forbidden(let message):
                return (AgentCoreError(type: "AccessDeniedException", status: .forbidden, message: message), nil)
            }
        case let error as SigV4Rejection:
            return (AgentCoreError(type: error.awsType, status: error.status, message: error.message), nil)
        case let error as ThrottledError:
            return (AgentCoreError(type: "ThrottlingException", status: .tooManyRequests, message: error.message, retryAfter: error.retryAfterSeconds), nil)
        case let error as BatchEvaluationError:
            switch error {
            case .idempotentParameterMismatch(let message):
                return (.validation(message, reason: "IdempotentParameterMismatchException"), nil)
            }
        case let error as StorageError:
            switch error {
            case .notFound(let message): return (.notFound(message), nil)
            case .conflict(let message): return (.conflict(message), nil)
            case .invalid(let message): return (.validation(message), nil)
            case .unavailable(let underlying, let retryAfter):
                let unavailable = AgentCoreError(
                    type: "ServiceUnavailableException", status: .serviceUnavailable,
                    message: "The database is unavailable; retry later (request id \(requestID))", retryAfter: retryAfter
                )
                return (unavailable, underlying)
            case .internal(let underlying):
                return (internalError(requestID), underlying)
            }
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge: return (.validation("Request body too large", reason: "CannotParse"), nil)
            case let status where status.code < 500:
                return (AgentCoreError(type: "ValidationException", status: status, message: error.body ?? status.reasonPhrase, reason: "CannotParse"), nil)
            default: return (internalError(requestID), String(describing: error))
            }
        default:
            return (internalError(requestID), String(describing: error))
        }
    }

    private static func internalError(_ requestID: String) -> AgentCoreError {
        AgentCoreError(type: "InternalServerException", status: .internalServerError, message: "Internal server error (request id \(requestID))")
    }
}
