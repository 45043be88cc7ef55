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

/// A principal from configuration: a bearer token, or the principal of a SigV4 access key
/// (``SigV4Credential``). Carries its scopes and the databases it may touch.
public struct AccessToken: Sendable, Equatable {
    /// A label for logs (never the secret).
    public var name: String
    /// The secret: the bearer token the client sends, or a SigV4 credential's secret access key.
    public var secret: String
    /// What it may do; `admin` implies every scope.
    public var scopes: Set<Scope>
    /// The `db_id`s it may touch; `*` means all.
    public var databases: Set<String>

    /// Creates a token.
    public init(name: String, secret: String, scopes: Set<Scope>, databases: Set<String>) {
        self.name = name
        self.secret = secret
        self.scopes = scopes
        self.databases = databases
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
    /// A valid token outside its scopes or tenants (HTTP 403).
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

/// The configured bearer tokens and SigV4 access keys. With neither configured, the gateway is open.
public struct AccessPolicy: Sendable {
    private let tokensBySecret: [String: AccessToken]
    private let credentialsByKeyID: [String: SigV4Credential]
    /// SigV4 verification; `nil` when it is off (no access keys configured).
    public let sigV4: SigV4Configuration?

    /// A policy over these tokens and, optionally, SigV4 access keys.
    public init(tokens: [AccessToken], sigV4: SigV4Configuration? = nil) {
        tokensBySecret = Dictionary(tokens.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        let credentials = sigV4?.credentials ?? []
        credentialsByKeyID = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.sigV4 = credentials.isEmpty ? nil : sigV4
    }

    /// Whether neither a token nor an access key is configured (every request is let through).
    public var isOpen: Bool { tokensBySecret.isEmpty && credentialsByKeyID.isEmpty }

    /// The SigV4 credential with this access key id, if configured.
    public func sigV4Credential(accessKeyID: String) -> SigV4Credential? { credentialsByKeyID[accessKeyID] }

    /// Authenticates an `Authorization: Bearer` header value. Returns `nil` when the policy is open.
    /// (SigV4-signed requests are verified by the HTTP layer against ``sigV4Credential(accessKeyID:)``.)
    public func authenticate(authorization: String?) throws(AccessError) -> AccessToken? {
        if isOpen { return nil }
        guard let authorization, !authorization.isEmpty else { throw .missingCredentials }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .missingCredentials }
        guard let token = tokensBySecret[String(parts[1]).trimmingSpaces] else { throw .invalidToken }
        return token
    }

    /// Checks that `token` (nil when open) grants `scope`.
    public static func require(_ scope: Scope, of token: AccessToken?) throws(AccessError) {
        guard let token, !token.grants(scope) else { return }
        throw .forbidden("This token does not have the '\(scope.rawValue)' scope")
    }

    /// Checks that `token` (nil when open) may touch database `id`.
    public static func require(databaseID id: String, for token: AccessToken?) throws(AccessError) {
        guard let token, !token.mayAccess(databaseID: id) else { return }
        throw .forbidden("This token may not access database '\(id)'")
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
