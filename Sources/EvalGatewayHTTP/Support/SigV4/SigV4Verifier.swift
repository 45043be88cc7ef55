import Crypto
public import EvalGatewayCore
import Foundation
public import NIOCore

/// Verifies AWS Signature Version 4 (`AWS4-HMAC-SHA256`) against the configured access keys, as AWS does
/// for an unmodified, signed boto3 client; a verified request is authenticated as the key's principal.
///
/// In two steps, so that a request is refused before its body is read when its header already fails:
/// ``check(authorization:amzDate:)`` parses the header, finds the key, checks the credential scope
/// (service `bedrock-agentcore`, the pinned region if any, `aws4_request`) and the clock skew; then
/// ``verify(_:canonicalRequests:)`` recomputes the signature over the canonical request (which holds the
/// body's hash) and compares it in constant time. The secret access key never leaves this type.
public struct SigV4Verifier: Sendable {
    /// A request whose header passed ``check(authorization:amzDate:)``, waiting for its canonical request.
    public struct Claim: Sendable {
        /// The parsed `Authorization` header.
        public var authorization: SigV4Authorization
        /// The key it names.
        public var credential: SigV4Credential
        /// `X-Amz-Date`, `yyyyMMdd'T'HHmmss'Z'`.
        public var amzDate: String
    }

    let policy: AccessPolicy
    let configuration: SigV4Configuration
    let now: @Sendable () -> Int64

    /// A verifier over `policy`'s access keys, or `nil` when SigV4 is not configured. `now` is the clock
    /// request dates are checked against, in epoch seconds.
    public init?(policy: AccessPolicy, now: @escaping @Sendable () -> Int64 = Timestamp.now) {
        guard let configuration = policy.sigV4 else { return nil }
        self.policy = policy
        self.configuration = configuration
        self.now = now
    }

    /// Checks what the headers alone can tell: the `Authorization` value's form, the access key, the
    /// credential scope, and that `X-Amz-Date` is within the allowed skew of the gateway's clock.
    public func check(authorization: String, amzDate: String?) throws(SigV4Rejection) -> Claim {
        let parsed = try SigV4Authorization(parsing: authorization)
        guard let amzDate else {
            throw SigV4Rejection(.incompleteSignature, "A signed request must carry an X-Amz-Date header (yyyyMMdd'T'HHmmss'Z', UTC)")
        }
        guard let requestTime = SigV4Date.parse(amzDate) else {
            throw SigV4Rejection(.incompleteSignature, "X-Amz-Date '\(SigV4Authorization.clipped(amzDate))' is not of the form yyyyMMdd'T'HHmmss'Z'")
        }
        guard let credential = policy.sigV4Credential(accessKeyID: parsed.accessKeyID) else {
            throw SigV4Rejection(
                .unrecognizedClient,
                "The security token included in the request is invalid: access key ID '\(SigV4Authorization.clipped(parsed.accessKeyID))' is not recognized"
            )
        }
        guard parsed.terminator == "aws4_request" else {
            throw SigV4Rejection(.invalidSignature, "Credential should be scoped with a valid terminator: 'aws4_request', not '\(SigV4Authorization.clipped(parsed.terminator))'.")
        }
        guard parsed.service == SigV4Configuration.service else {
            throw SigV4Rejection(.invalidSignature, "Credential should be scoped to correct service: '\(SigV4Configuration.service)'.")
        }
        if let region = configuration.region, parsed.region != region {
            throw SigV4Rejection(.invalidSignature, "Credential should be scoped to a valid region, not '\(SigV4Authorization.clipped(parsed.region))': this gateway accepts '\(region)'.")
        }
        guard amzDate.hasPrefix(parsed.date) else {
            throw SigV4Rejection(
                .invalidSignature,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(parsed.date)' != '\(amzDate.prefix(8))', from '\(amzDate)'."
            )
        }
        try checkSkew(requestTime: requestTime, amzDate: amzDate)
        return Claim(authorization: parsed, credential: credential, amzDate: amzDate)
    }

    /// Recomputes the signature over each canonical request a conforming client may have signed (see
    /// ``SigV4CanonicalRequest/texts``) and returns the principal when one matches.
    public func verify(_ claim: Claim, canonicalRequests: [String]) throws(SigV4Rejection) -> AccessToken {
        let authorization = claim.authorization
        let key = Self.signingKey(
            secretAccessKey: claim.credential.secretAccessKey, date: authorization.date, region: authorization.region, service: authorization.service
        )
        var matched = false
        for canonical in canonicalRequests {
            let expected = Self.signature(signingKey: key, stringToSign: Self.stringToSign(amzDate: claim.amzDate, scope: authorization.credentialScope, canonicalRequest: canonical))
            matched = Self.constantTimeEqual(expected, authorization.signature) || matched
        }
        guard matched else {
            throw SigV4Rejection(
                .invalidSignature,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            )
        }
        return claim.credential.principal
    }

    /// The hash that goes in the canonical request: the body's SHA-256 in hex. A client's
    /// `x-amz-content-sha256` must equal it: unsigned and streaming payloads are refused.
    public static func payloadHash(of body: ByteBuffer, declared: String?) throws(SigV4Rejection) -> String {
        var hasher = SHA256()
        body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        let computed = hex(hasher.finalize())
        guard let declared, declared != computed else { return computed }
        if declared == "UNSIGNED-PAYLOAD" || declared.hasPrefix("STREAMING-") {
            throw SigV4Rejection(.incompleteSignature, "Unsigned payloads are not accepted: sign the request body (x-amz-content-sha256 '\(SigV4Authorization.clipped(declared))')")
        }
        throw SigV4Rejection(.invalidSignature, "The x-amz-content-sha256 header does not match the SHA-256 of the request body")
    }

    /// `AWS4-HMAC-SHA256\n<X-Amz-Date>\n<scope>\n<hex SHA-256 of the canonical request>`.
    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        "\(SigV4Authorization.algorithm)\n\(amzDate)\n\(scope)\n\(hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
    }

    /// The signature a client holding `secretAccessKey` sends for `canonicalRequest`, signed at `amzDate`
    /// with the credential scope `<date>/<region>/<service>/aws4_request`.
    public static func signature(
        canonicalRequest: String, amzDate: String, date: String, region: String, service: String, secretAccessKey: String
    ) -> String {
        let key = signingKey(secretAccessKey: secretAccessKey, date: date, region: region, service: service)
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        return signature(signingKey: key, stringToSign: stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest))
    }

    /// HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
    static func signingKey(secretAccessKey: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// The hex HMAC-SHA256 of `stringToSign` under `signingKey`.
    static func signature(signingKey: SymmetricKey, stringToSign: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey))
    }

    private func checkSkew(requestTime: Int64, amzDate: String) throws(SigV4Rejection) {
        let current = now()
        let skew = Int64(configuration.maxClockSkewSeconds)
        let limit = skew % 60 == 0 ? "\(skew / 60) min." : "\(skew) s"
        let hint = "Check the client's clock: at most \(limit) of difference from the gateway's is accepted."
        if requestTime < current - skew {
            throw SigV4Rejection(
                .invalidSignature,
                "Signature expired: \(amzDate) is now earlier than \(SigV4Date.format(current - skew)) (\(SigV4Date.format(current)) - \(limit)) \(hint)"
            )
        }
        if requestTime > current + skew {
            throw SigV4Rejection(
                .invalidSignature,
                "Signature not yet current: \(amzDate) is still later than \(SigV4Date.format(current + skew)) (\(SigV4Date.format(current)) + \(limit)) \(hint)"
            )
        }
    }

    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
