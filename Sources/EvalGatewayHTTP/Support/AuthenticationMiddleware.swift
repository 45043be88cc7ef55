import EvalGatewayCore
import HTTPTypes
public import Hummingbird
import NIOCore

/// Authenticates a request and puts its principal in the context: `Authorization: Bearer <token>` against
/// the configured tokens, or — when `auth.sigv4` is configured — an AWS SigV4 signature
/// (`Authorization: AWS4-HMAC-SHA256 …`) against the configured access keys. Both give the same kind of
/// principal (``AccessToken``), so the scope and tenant checks in the routes apply alike.
///
/// A signed request's body is read here (up to the body limit) to hash it, and handed on to the route.
///
/// The tokens are read from the live catalog on every request, so a token made or revoked through the
/// admin API is in force at once. An authenticated principal with a rate takes one request from its
/// bucket here (429 when it is empty).
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    let services: GatewayServices

    /// Creates the middleware over the services' tokens, body limit, rates and clock.
    public init(services: GatewayServices) {
        self.services = services
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let policy = services.access
        guard !policy.isOpen, let authorization = request.headers[.authorization], SigV4Authorization.isSigV4(authorization) else {
            context.token = try policy.authenticate(authorization: request.headers[.authorization])
            try admit(context.token)
            return try await next(request, context)
        }
        let maxBodyBytes = services.limits.maxBodyBytes
        guard let verifier = SigV4Verifier(policy: policy, now: services.now) else {
            throw SigV4Rejection(
                .notAccepted,
                "This gateway does not accept AWS SigV4 signatures (auth.sigv4 is not configured): send Authorization: Bearer <token>"
            )
        }
        let claim = try verifier.check(authorization: authorization, amzDate: request.headers[.xAmzDate])
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
        let canonical = SigV4CanonicalRequest(
            method: request.method.rawValue,
            target: request.head.path ?? "/",
            signedHeaders: claim.authorization.signedHeaders,
            headerValues: try signedHeaderValues(claim.authorization.signedHeaders, of: request),
            payloadHash: try SigV4Verifier.payloadHash(of: body, declared: request.headers[.xAmzContentSHA256])
        )
        do {
            context.token = try verifier.verify(claim, canonicalRequests: canonical.texts)
        } catch {
            // What the gateway signed, to compare with the client's own (botocore logs it at debug level);
            // a session token is blanked, and the secret is never part of it.
            var shown = canonical
            if shown.headerValues["x-amz-security-token"] != nil { shown.headerValues["x-amz-security-token"] = ["(redacted)"] }
            context.logger.debug(
                "SigV4 signature mismatch",
                metadata: ["access_key_id": .string(claim.credential.accessKeyID), "canonical_request": .string(shown.text)]
            )
            throw error
        }
        try admit(context.token)
        return try await next(request, context)
    }

    /// Takes one request from the principal's rate, if it has one.
    private func admit(_ token: AccessToken?) throws(ThrottledError) {
        guard let token, let rate = token.rate else { return }
        try services.admit(.token, name: token.name, rate: rate)
    }

    /// The values of each signed header; `host` is the `Host` header or, where HTTP/1's `Host` became
    /// the `:authority` pseudo-header, that.
    private func signedHeaderValues(_ names: [String], of request: Request) throws(SigV4Rejection) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for name in names {
            var found = HTTPField.Name(name).map { request.headers[values: $0] } ?? []
            if found.isEmpty, name == "host", let authority = request.head.authority { found = [authority] }
            guard !found.isEmpty else {
                throw SigV4Rejection(.invalidSignature, "The signed header '\(SigV4Authorization.clipped(name))' is not in the request")
            }
            values[name] = found
        }
        return values
    }
}
