import EvalGatewayCore
public import Hummingbird
import Logging

/// Turns every error on the Agno and ops surfaces into `{"detail", "error_code"}` with the right status.
///
/// Storage errors keep their driver text out of the body: a 5xx carries only a sentence and the request
/// id, and the log line with the same request id carries the underlying error.
public struct AgnoErrorMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (agnoError, underlying) = Self.agnoError(for: error)
            if agnoError.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: ["status": .stringConvertible(agnoError.status.code), "error": .string(underlying ?? agnoError.detail)]
                )
            }
            return agnoError.response(requestID: context.requestID)
        }
    }

    /// The client-facing error for `error`, and the text for the log.
    static func agnoError(for error: any Error) -> (AgnoError, String?) {
        switch error {
        case let error as AgnoError:
            return (error, nil)
        case let error as ResolutionError:
            switch error {
            case .badRequest(let message): return (AgnoError(.badRequest, message), nil)
            case .notFound(let message): return (AgnoError(.notFound, message), nil)
            }
        case let error as AccessError:
            switch error {
            case .missingCredentials, .invalidToken: return (AgnoError(.unauthorized, error.message), nil)
            case .forbidden(let message): return (AgnoError(.forbidden, message), nil)
            }
        case let error as SigV4Rejection:
            return (AgnoError(.unauthorized, error.message), nil)
        case let error as MalformedRequestError:
            return (AgnoError(error.status, error.message), nil)
        case let error as RequestReadTimeoutError:
            return (AgnoError(.requestTimeout, error.message), nil)
        case let error as ThrottledError:
            return (AgnoError(.tooManyRequests, error.message, retryAfter: error.retryAfterSeconds), nil)
        case let error as ConfigurationError:
            return (AgnoError.validation(ValidationIssue(configuration: error)), nil)
        case let error as RegistryError:
            switch error {
            case .declared: return (AgnoError(.conflict, error.message), nil)
            case .unreachable, .invalidName: return (AgnoError(.unprocessableContent, error.message), nil)
            }
        case let error as StorageError:
            switch error {
            case .notFound(let message): return (AgnoError(.notFound, message), nil)
            case .conflict(let message): return (AgnoError(.conflict, message), nil)
            case .invalid(let message): return (AgnoError(.unprocessableContent, message), nil)
            case .unavailable(let underlying, let retryAfter):
                return (AgnoError(.serviceUnavailable, "The database is unavailable; retry later", retryAfter: retryAfter), underlying)
            case .internal(let underlying):
                return (AgnoError(.internalServerError, "Internal server error"), underlying)
            }
        case is CancellationError:
            // The client went away (see ClientDisconnectHandler); nobody reads this answer.
            return (AgnoError(HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"), "The client closed the request"), nil)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return (AgnoError(.notFound, "Not Found"), nil)
            case .contentTooLarge: return (AgnoError(.contentTooLarge, "Request body too large"), nil)
            case .methodNotAllowed: return (AgnoError(.methodNotAllowed, "Method Not Allowed"), nil)
            case let status where status.code < 500: return (AgnoError(status, error.body ?? status.reasonPhrase), nil)
            default: return (AgnoError(.internalServerError, "Internal server error"), String(describing: error))
            }
        default:
            return (AgnoError(.internalServerError, "Internal server error"), String(describing: error))
        }
    }
}
