import EvalGatewayCore

/// `auth:` — bearer tokens and, optionally, AWS SigV4 access keys.
struct AuthSection: Decodable {
    var tokens: [TokenDefinition]
    var sigV4: SigV4Section?
    private var tokenProblem: @Sendable (Int, String, String) -> ConfigurationError

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokens, sigv4
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tokens = try container.decodeIfPresent([TokenDefinition].self, forKey: .tokens) ?? []
        sigV4 = try container.decodeIfPresent(SigV4Section.self, forKey: .sigv4)
        let context = ConfigDecodingContext.current
        let path = container.codingPath + [CodingKeys.tokens]
        tokenProblem = { index, key, problem in
            let keyPath = path + [ConfigIndexKey(index), AnyConfigKey(key)]
            return ConfigurationError(location: context?.location(keyPath), key: context?.keyPath(keyPath) ?? key, problem: problem)
        }
    }

    func apply(to configuration: inout GatewayConfiguration, databaseIDs: Set<String>) throws(ConfigurationError) {
        var names: Set<String> = []
        for (index, definition) in tokens.enumerated() {
            guard let secret = definition.secret else { throw tokenProblem(index, "token", "is required") }
            try definition.checkDatabases { databaseIDs.contains($0) }
            let name = definition.name ?? "token-auth.tokens[\(index)]"
            guard names.insert(name).inserted else { throw tokenProblem(index, "name", "'\(name)' is used by an earlier token") }
            configuration.tokens.append(definition.token(named: name, secretDigest: AccessToken.digest(of: secret)))
        }
        if let sigV4 {
            configuration.sigV4 = try sigV4.validate(databaseIDs: databaseIDs)
        }
    }
}

/// `auth.sigv4:` — the access keys (each with its principal's scopes and databases), an optional pinned
/// region and the clock-skew limit.
struct SigV4Section: Decodable {
    var credentials: [Credential]
    var region: String?
    var maxClockSkewSeconds: Int?
    private var credentialsProblem: @Sendable (String) -> ConfigurationError

    enum CodingKeys: String, CodingKey, CaseIterable {
        case credentials, region
        case maxClockSkewSeconds = "max_clock_skew_seconds"
    }

    struct Credential: Decodable {
        var name: String?
        var accessKeyID: String
        var secretAccessKey: String
        var scopes: Set<Scope>
        var databases: [String]
        var grants: TokenDefinition
        var keyProblem: @Sendable (String) -> ConfigurationError

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, scopes, databases
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            accessKeyID = try container.decode(String.self, forKey: .accessKeyID)
            guard !accessKeyID.isEmpty, accessKeyID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ",") }) else {
                throw container.problem(
                    .accessKeyID,
                    accessKeyID.isEmpty ? "must not be empty (is its environment variable set?)" : "must be printable ASCII without spaces, '/' or ','"
                )
            }
            secretAccessKey = try container.decode(String.self, forKey: .secretAccessKey)
            guard !secretAccessKey.isEmpty else {
                throw container.problem(.secretAccessKey, "must not be empty (is its environment variable set?)")
            }
            name = try container.decodeNonEmptyIfPresent(String.self, forKey: .name)
            grants = try TokenDefinition(grantsFrom: decoder)
            scopes = grants.scopes
            databases = grants.databases
            let problem = container.problem(.accessKeyID, "")
            keyProblem = { ConfigurationError(location: problem.location, key: problem.key, problem: $0) }
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        credentials = try container.decodeIfPresent([Credential].self, forKey: .credentials) ?? []
        region = try container.decodeIfPresent(String.self, forKey: .region)
        if let region, region.isEmpty || !region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) {
            throw container.problem(.region, "'\(region)' is not a region name (lower-case letters, digits, '-')")
        }
        maxClockSkewSeconds = try container.decodeIfPresent(Int.self, forKey: .maxClockSkewSeconds, in: 1...3600)
        let problem = container.problem(.credentials, "")
        credentialsProblem = { ConfigurationError(location: problem.location, key: problem.key, problem: $0) }
    }

    func validate(databaseIDs: Set<String>) throws(ConfigurationError) -> SigV4Configuration {
        var seen: Set<String> = []
        var result: [SigV4Credential] = []
        for credential in credentials {
            try credential.grants.checkDatabases { databaseIDs.contains($0) }
            guard seen.insert(credential.accessKeyID).inserted else {
                throw credential.keyProblem("'\(credential.accessKeyID)' is used by an earlier credential")
            }
            result.append(SigV4Credential(
                accessKeyID: credential.accessKeyID, secretAccessKey: credential.secretAccessKey, name: credential.name,
                scopes: credential.scopes, databases: Set(credential.databases)
            ))
        }
        guard !result.isEmpty else {
            throw credentialsProblem("must list at least one access key (or leave auth.sigv4 out)")
        }
        return SigV4Configuration(
            credentials: result, region: region, maxClockSkewSeconds: maxClockSkewSeconds ?? SigV4Configuration.defaultMaxClockSkewSeconds
        )
    }
}
