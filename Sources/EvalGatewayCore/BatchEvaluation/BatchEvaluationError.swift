/// Errors of the job store that are not one of ``StorageError``'s kinds.
public enum BatchEvaluationError: Error, Sendable, Equatable {
    /// A job with this `clientToken` exists, started with different parameters (AgentCore answers
    /// ValidationException with reason `IdempotentParameterMismatchException`).
    case idempotentParameterMismatch(String)

    /// The message for the client.
    public var message: String {
        switch self {
        case .idempotentParameterMismatch(let message): message
        }
    }
}
