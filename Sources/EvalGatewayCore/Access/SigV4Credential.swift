/// An AWS access key that may sign requests with SigV4 (`auth.sigv4.credentials` in configuration).
///
/// A verified signature authenticates the request as ``principal``: the same kind of principal a bearer
/// token is, so scope and tenant checks apply to both alike.
public struct SigV4Credential: Sendable, Equatable {
    /// The access key id the client names in its `Credential=` scope (not secret).
    public var accessKeyID: String
    /// Who a request signed with this key is: its name (for logs), scopes and databases. Its `secret` is
    /// the secret access key, which signs requests and is never sent.
    public var principal: AccessToken

    /// Creates a credential: `secretAccessKey` signs, `name` labels it in logs (default: the key id).
    public init(accessKeyID: String, secretAccessKey: String, name: String? = nil, scopes: Set<Scope>, databases: Set<String>) {
        self.accessKeyID = accessKeyID
        self.principal = AccessToken(name: name ?? accessKeyID, secret: secretAccessKey, scopes: scopes, databases: databases)
    }

    /// The secret access key.
    public var secretAccessKey: String { principal.secret }
}
