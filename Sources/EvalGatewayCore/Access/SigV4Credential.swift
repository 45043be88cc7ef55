/// An AWS access key that may sign requests with SigV4 (`auth.sigv4.credentials` in configuration).
///
/// A verified signature authenticates the request as ``principal``: the same kind of principal a bearer
/// token is, so scope and tenant checks apply to both alike.
public struct SigV4Credential: Sendable, Equatable {
    /// The access key id the client names in its `Credential=` scope (not secret).
    public var accessKeyID: String
    /// Who a request signed with this key is: its name (for logs), scopes and databases.
    public var principal: AccessToken
    /// The secret access key, which signs requests and is never sent (nor printed: see ``description``). (A signature can only be checked
    /// with the secret in clear, so SigV4 keys stay in the configuration file.)
    public var secretAccessKey: String

    /// Creates a credential: `secretAccessKey` signs, `name` labels it in logs (default: the key id).
    public init(accessKeyID: String, secretAccessKey: String, name: String? = nil, scopes: Set<Scope>, databases: Set<String>) {
        self.accessKeyID = accessKeyID
        self.principal = AccessToken(name: name ?? accessKeyID, secret: secretAccessKey, scopes: scopes, databases: databases)
        self.secretAccessKey = secretAccessKey
    }
}

extension SigV4Credential: CustomStringConvertible, CustomDebugStringConvertible {
    /// The key id and principal — never the secret access key.
    public var description: String { "SigV4Credential(accessKeyID: \(accessKeyID), principal: \(principal), secret: <redacted>)" }

    /// The same as ``description``.
    public var debugDescription: String { description }
}
