public import HTTPTypes

/// Why a SigV4-signed request was refused.
///
/// On the AgentCore surface it is the AWS error of the same name (`x-amzn-ErrorType`, `__type`), so boto3
/// raises a `ClientError` with that code; on the Agno surface every rejection is a 401 UNAUTHENTICATED
/// with the same sentence.
public struct SigV4Rejection: Error, Sendable, Equatable {
    /// The kinds of rejection, named after AWS's errors.
    public enum Kind: Sendable, Equatable {
        /// 400 IncompleteSignatureException: the `Authorization` or `X-Amz-Date` header is malformed or
        /// incomplete.
        case incompleteSignature
        /// 403 UnrecognizedClientException: the access key id is not configured.
        case unrecognizedClient
        /// 403 InvalidSignatureException: the signature does not match, the credential scope is wrong, or
        /// the request's date is too far from the gateway's clock ("Signature expired").
        case invalidSignature
        /// 401 UnauthorizedException: a signed request reached a gateway where SigV4 is not configured.
        case notAccepted
    }

    /// The kind.
    public var kind: Kind
    /// A sentence for the client (never a secret).
    public var message: String

    /// Creates a rejection.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The AWS error name.
    public var awsType: String {
        switch kind {
        case .incompleteSignature: "IncompleteSignatureException"
        case .unrecognizedClient: "UnrecognizedClientException"
        case .invalidSignature: "InvalidSignatureException"
        case .notAccepted: "UnauthorizedException"
        }
    }

    /// The HTTP status on the AgentCore surface.
    public var status: HTTPResponse.Status {
        switch kind {
        case .incompleteSignature: .badRequest
        case .unrecognizedClient, .invalidSignature: .forbidden
        case .notAccepted: .unauthorized
        }
    }
}
