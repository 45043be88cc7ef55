/// The parts of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=<key id>/<yyyyMMdd>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>`.
public struct SigV4Authorization: Sendable, Equatable {
    /// The only algorithm accepted.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The access key id.
    public var accessKeyID: String
    /// The credential scope's date, `yyyyMMdd`.
    public var date: String
    /// The credential scope's region.
    public var region: String
    /// The credential scope's service.
    public var service: String
    /// The credential scope's terminator (`aws4_request`).
    public var terminator: String
    /// The signed header names, lower-case, as the client listed them.
    public var signedHeaders: [String]
    /// The signature, 64 lower-case hexadecimal digits.
    public var signature: String

    /// `<date>/<region>/<service>/<terminator>`, as in the string to sign.
    public var credentialScope: String { "\(date)/\(region)/\(service)/\(terminator)" }

    /// Whether an `Authorization` value claims an AWS signature (`AWS4-…`), rather than a bearer token.
    public static func isSigV4(_ authorization: String) -> Bool {
        authorization.hasPrefix("AWS4-")
    }

    /// Parses a header value; a malformed one is an IncompleteSignatureException naming what is wrong.
    public init(parsing header: String) throws(SigV4Rejection) {
        let head = header.prefix { $0 != " " }
        guard head == Self.algorithm else {
            throw SigV4Rejection(.incompleteSignature, "Unsupported signing algorithm '\(Self.clipped(head))': only \(Self.algorithm) is accepted")
        }
        var parameters: [String: Substring] = [:]
        for part in header.dropFirst(head.count).split(separator: ",") {
            let item = part.trimmingSpaces
            guard let equals = item.firstIndex(of: "=") else {
                if item.isEmpty { continue }
                throw SigV4Rejection(.incompleteSignature, "Authorization header parameter '\(Self.clipped(item))' is not of the form name=value")
            }
            parameters[String(item[..<equals])] = item[item.index(after: equals)...]
        }
        let missing = ["Credential", "SignedHeaders", "Signature"].filter { parameters[$0] == nil }
        guard missing.isEmpty else {
            throw SigV4Rejection(.incompleteSignature, missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " "))
        }
        let credential = parameters["Credential"]!
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 5, scope.allSatisfy({ !$0.isEmpty }),
              scope[1].utf8.count == 8, scope[1].utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else {
            throw SigV4Rejection(
                .incompleteSignature,
                "Credential '\(Self.clipped(credential))' is not of the form <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request"
            )
        }
        let signedHeaders = parameters["SignedHeaders"]!.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard signedHeaders.allSatisfy({ !$0.isEmpty && $0 == $0.lowercased() }) else {
            throw SigV4Rejection(.incompleteSignature, "SignedHeaders must be lower-case header names separated by ';'")
        }
        guard signedHeaders.contains("host") else {
            throw SigV4Rejection(.incompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        let signature = parameters["Signature"]!
        guard signature.utf8.count == 64, signature.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw SigV4Rejection(.incompleteSignature, "Signature must be 64 lower-case hexadecimal digits")
        }
        accessKeyID = String(scope[0])
        date = String(scope[1])
        region = String(scope[2])
        service = String(scope[3])
        terminator = String(scope[4])
        self.signedHeaders = signedHeaders
        self.signature = String(signature)
    }

    /// Client text for a message: at most 128 characters.
    static func clipped(_ text: some StringProtocol) -> String {
        text.count > 128 ? String(text.prefix(128)) + "…" : String(text)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var view = self
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return view
    }
}
