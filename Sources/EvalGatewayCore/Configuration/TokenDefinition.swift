/// A bearer token's grants as written — in the file's `auth.tokens[]` (`{name, token, scopes, databases,
/// rate}`) or in the body of `PUT /admin/tokens/{name}` (`{token?, scopes, databases, rate}`) — checked
/// the same way in both.
public struct TokenDefinition: Sendable, Decodable {
    /// The name, when the entry gives one (the API takes it from the path).
    public var name: String?
    /// The secret, when given (the API generates one otherwise).
    public var secret: String?
    /// What the token may do (at least one scope).
    public var scopes: Set<Scope>
    /// The `db_id`s it may touch; `*` = all (the default).
    public var databases: [String]
    /// Its request rate.
    public var rate: RateLimit?

    var databaseProblem: @Sendable (Int, String) -> ConfigurationError

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, token, scopes, databases, rate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeNonEmptyIfPresent(String.self, forKey: .name)
        secret = try container.decodeNonEmptyIfPresent(String.self, forKey: .token, emptyProblem: "must not be empty (is its environment variable set?)")
        scopes = try container.decodeScopes(forKey: .scopes)
        databases = try container.decodeIfPresent([String].self, forKey: .databases) ?? ["*"]
        rate = try container.decodeIfPresent(RateLimit.self, forKey: .rate)
        if let secret, secret.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            throw container.problem(.token, "must be printable ASCII without spaces")
        }
        databaseProblem = Self.locator(container.codingPath + [CodingKeys.databases])
    }

    /// Reads only `scopes` and `databases` of an entry that has keys of its own (a SigV4 credential).
    public init(grantsFrom decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyConfigKey.self)
        name = nil
        secret = nil
        rate = nil
        scopes = try container.decodeScopes(forKey: AnyConfigKey("scopes"))
        databases = try container.decodeIfPresent([String].self, forKey: AnyConfigKey("databases")) ?? ["*"]
        databaseProblem = Self.locator(container.codingPath + [AnyConfigKey("databases")])
    }

    private static func locator(_ path: [any CodingKey]) -> @Sendable (Int, String) -> ConfigurationError {
        let context = ConfigDecodingContext.current
        return { index, problem in
            let itemPath = path + [ConfigIndexKey(index)]
            return ConfigurationError(location: context?.location(itemPath), key: context?.keyPath(itemPath) ?? "databases[\(index)]", problem: problem)
        }
    }

    /// Checks that every database named is `*` or one of `known`.
    public func checkDatabases(known: (String) -> Bool) throws(ConfigurationError) {
        for (index, id) in databases.enumerated() where id != "*" && !known(id) {
            throw databaseProblem(index, "'\(id)' is not the id of a configured database")
        }
    }

    /// The token, for a secret digest.
    public func token(named name: String, secretDigest: [UInt8]) -> AccessToken {
        AccessToken(name: name, secretDigest: secretDigest, scopes: scopes, databases: Set(databases), rate: rate)
    }
}

extension Scope: Decodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let scope = Scope(rawValue: text) else {
            throw decoder.problem("'\(text)' is not one of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = scope
    }
}

extension KeyedDecodingContainer {
    /// A principal's scopes: at least one.
    func decodeScopes(forKey key: Key) throws -> Set<Scope> {
        let scopes = Set(try decodeIfPresent([Scope].self, forKey: key) ?? [])
        guard !scopes.isEmpty else { throw problem(key, "must list at least one scope") }
        return scopes
    }
}
