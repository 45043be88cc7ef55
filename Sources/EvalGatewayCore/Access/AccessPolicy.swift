import Crypto

/// What a token may do.
public enum Scope: String, Sendable, CaseIterable {
    /// List and get.
    case read = "evals:read"
    /// Create, rename, start and stop.
    case write = "evals:write"
    /// Delete.
    case delete = "evals:delete"
    /// Everything.
    case admin
}

/// A principal: a bearer token (from the configuration file or the admin API), or the principal of a
/// SigV4 access key (``SigV4Credential``). Carries its scopes, the databases it may touch and its rate.
///
/// The gateway keeps only the SHA-256 of a token's secret: a token made through the admin API is never
/// stored in clear, and one from the file is hashed when it is read.
public struct AccessToken: Sendable, Equatable {
    /// A label for logs and the admin API (never the secret).
    public var name: String
    /// SHA-256 of the secret (the bearer token the client sends).
    public var secretDigest: [UInt8]
    /// What it may do; `admin` implies every scope.
    public var scopes: Set<Scope>
    /// The `db_id`s it may touch; `*` means all.
    public var databases: Set<String>
    /// The request rate this token is allowed, across all databases; `nil` = unlimited.
    public var rate: RateLimit?

    /// Creates a token from its secret, which is hashed and not kept.
    public init(name: String, secret: String, scopes: Set<Scope>, databases: Set<String>, rate: RateLimit? = nil) {
        self.init(name: name, secretDigest: Self.digest(of: secret), scopes: scopes, databases: databases, rate: rate)
    }

    /// Creates a token from the SHA-256 of its secret.
    public init(name: String, secretDigest: [UInt8], scopes: Set<Scope>, databases: Set<String>, rate: RateLimit? = nil) {
        self.name = name
        self.secretDigest = secretDigest
        self.scopes = scopes
        self.databases = databases
        self.rate = rate
    }

    /// SHA-256 of a secret.
    public static func digest(of secret: String) -> [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }

    /// Whether `digest` is this token's, compared in constant time.
    func matches(digest: [UInt8]) -> Bool {
        guard digest.count == secretDigest.count else { return false }
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ secretDigest[index] }
        return difference == 0
    }

    /// Whether the token grants `scope`.
    public func grants(_ scope: Scope) -> Bool { scopes.contains(.admin) || scopes.contains(scope) }

    /// Whether the token may touch the database `id`.
    public func mayAccess(databaseID id: String) -> Bool { databases.contains("*") || databases.contains(id) }
}

extension AccessToken: CustomStringConvertible, CustomDebugStringConvertible {
    /// The name, scopes and databases — never the secret, so a token printed or logged by mistake
    /// gives nothing away.
    public var description: String {
        "AccessToken(name: \(name), scopes: \(scopes.map(\.rawValue).sorted()), databases: \(databases.sorted()), secret: <redacted>)"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }
}

/// Why a request was refused by the access policy.
public enum AccessError: Error, Sendable, Equatable {
    /// No `Authorization: Bearer` header (HTTP 401).
    case missingCredentials
    /// A token that is not configured (HTTP 401).
    case invalidToken
    /// A valid token outside its scopes (HTTP 403).
    case forbidden(String)

    /// The message for the client.
    public var message: String {
        switch self {
        case .missingCredentials: "Authorization header required"
        case .invalidToken: "Invalid authentication token"
        case .forbidden(let message): message
        }
    }
}

/// The bearer tokens (from the file and the registry) and SigV4 access keys. With neither, the gateway
/// is open.
public struct AccessPolicy: Sendable {
    private let tokensByDigest: [[UInt8]: AccessToken]
    private let credentialsByKeyID: [String: SigV4Credential]
    /// SigV4 verification; `nil` when it is off (no access keys configured).
    public let sigV4: SigV4Configuration?

    /// A policy over these tokens and, optionally, SigV4 access keys.
    public init(tokens: [AccessToken], sigV4: SigV4Configuration? = nil) {
        tokensByDigest = Dictionary(tokens.map { ($0.secretDigest, $0) }, uniquingKeysWith: { first, _ in first })
        let credentials = sigV4?.credentials ?? []
        credentialsByKeyID = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.sigV4 = credentials.isEmpty ? nil : sigV4
    }

    /// Whether neither a token nor an access key is configured (every request is let through).
    public var isOpen: Bool { tokensByDigest.isEmpty && credentialsByKeyID.isEmpty }

    /// The SigV4 credential with this access key id, if configured.
    public func sigV4Credential(accessKeyID: String) -> SigV4Credential? { credentialsByKeyID[accessKeyID] }

    /// Authenticates an `Authorization: Bearer` header value. Returns `nil` when the policy is open.
    /// (SigV4-signed requests are verified by the HTTP layer against ``sigV4Credential(accessKeyID:)``.)
    public func authenticate(authorization: String?) throws(AccessError) -> AccessToken? {
        if isOpen { return nil }
        guard let authorization, !authorization.isEmpty else { throw .missingCredentials }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .missingCredentials }
        let digest = AccessToken.digest(of: String(parts[1]).trimmingSpaces)
        guard let token = tokensByDigest[digest], token.matches(digest: digest) else { throw .invalidToken }
        return token
    }

    /// Checks that `token` (nil when open) grants `scope`.
    public static func require(_ scope: Scope, of token: AccessToken?) throws(AccessError) {
        guard let token, !token.grants(scope) else { return }
        throw .forbidden("This token does not have the '\(scope.rawValue)' scope")
    }

    /// The bearer tokens, in no particular order.
    public var tokens: some Collection<AccessToken> { tokensByDigest.values }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
