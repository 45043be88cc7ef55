public import EvalGatewayCore
public import EvalGatewayHTTP
public import Logging
import Foundation
import Yams

/// The gateway's configuration file (`config/gateway.yaml`), read and checked before anything opens.
///
/// ```yaml
/// server: { host: 127.0.0.1, port: 7070, idle_timeout_seconds: 60, read_timeout_seconds: 30 }
/// default_db: local            # optional
/// databases:
///   - id: local
///     adapter: sqlite
///     path: ./data/evals.sqlite
///     tables: [agno_eval_runs]
/// auth:
///   tokens: []                 # bearer tokens; none (and no sigv4) = open
///   sigv4:                     # optional: AWS SigV4-signed requests (an unmodified boto3 client)
///     credentials:
///       - { access_key_id: AKIDLOCAL, secret_access_key: "${EVALGW_SIGV4_SECRET}", scopes: [admin], databases: ["*"] }
///     region: us-east-1        # optional: accept only signatures scoped to this region
///     max_clock_skew_seconds: 900
/// limits: { max_ids_per_request: 1000000, max_body_bytes: 67108864 }
/// logging: { level: info, format: plain }
/// metrics: { enabled: true, require_token: false }
/// ```
///
/// Any string may be a `${ENV_VAR}` reference. Unknown keys and bad values fail with the file, the key and
/// the problem.
public struct GatewayConfiguration: Sendable {
    /// The address to bind.
    public var host: String = "127.0.0.1"
    /// The port to bind.
    public var port: Int = 7070
    /// The database used when a request names none and several are registered.
    public var defaultDatabaseID: String?
    /// The registered databases, in order.
    public var databases: [DatabaseConfiguration] = []
    /// The bearer tokens; none (and no SigV4 access keys) = open.
    public var tokens: [AccessToken] = []
    /// AWS SigV4 verification (`auth.sigv4`); `nil` when off.
    public var sigV4: SigV4Configuration?
    /// Request size limits.
    public var limits = RequestLimits()
    /// The log level.
    public var logLevel: Logger.Level = .info
    /// The log line format.
    public var logFormat: LogFormat = .plain
    /// Whether metrics are recorded and served at `/metrics`.
    public var metricsEnabled = true
    /// Whether `/metrics` needs a bearer token.
    public var metricsRequireToken = false
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    public var shutdownGraceSeconds = 30
    /// How long idle keep-alive connections and slow requests are waited for.
    public var connectionTimeouts = ConnectionTimeouts()
    /// The batch-evaluation runner and job naming (`batch`).
    public var batch = BatchConfiguration()

    /// Log line formats.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// swift-log's plain lines.
        case plain
        /// One JSON object per line.
        case json
    }

    /// An empty configuration (no databases).
    public init() {}

    /// Reads and checks the file at `path`.
    public static func load(
        path: String,
        registry: AdapterRegistry,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> GatewayConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, key: "(file)", problem: "cannot be read: \(error.localizedDescription)")
        }
        do {
            return try parse(yaml: text, registry: registry, environment: environment)
        } catch var error {
            error.file = path
            throw error
        }
    }

    /// Parses and checks YAML text.
    public static func parse(
        yaml text: String,
        registry: AdapterRegistry,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> GatewayConfiguration {
        let root: ConfigValue
        do {
            root = try ConfigValue(yaml: Yams.load(yaml: text) as Any)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(key: "(document)", problem: "is not valid YAML: \(error)")
        }
        let reader = ConfigReader(environment: environment)
        return try reader.read(root, registry: registry)
    }
}

/// Walks the parsed document, expanding `${ENV}` references and naming the key of every problem.
private struct ConfigReader {
    let environment: [String: String]

    func read(_ root: ConfigValue, registry: AdapterRegistry) throws(ConfigurationError) -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        let top = try map(root, "(document)", allowed: ["server", "default_db", "databases", "auth", "limits", "logging", "metrics", "batch"])

        if let server = top["server"] {
            let server = try map(server, "server", allowed: ["host", "port", "shutdown_grace_seconds", "idle_timeout_seconds", "read_timeout_seconds"])
            if let host = server["host"] { configuration.host = try string(host, "server.host") }
            if let port = server["port"] { configuration.port = try integer(port, "server.port", in: 0...65535) }
            if let grace = server["shutdown_grace_seconds"] {
                configuration.shutdownGraceSeconds = try integer(grace, "server.shutdown_grace_seconds", in: 0...3600)
            }
            if let value = server["idle_timeout_seconds"] {
                configuration.connectionTimeouts.idle = .seconds(try integer(value, "server.idle_timeout_seconds", in: 1...86_400))
            }
            if let value = server["read_timeout_seconds"] {
                configuration.connectionTimeouts.read = .seconds(try integer(value, "server.read_timeout_seconds", in: 1...3600))
            }
        }

        guard let databases = top["databases"] else {
            throw ConfigurationError(key: "databases", problem: "is required: list at least one database")
        }
        for (index, entry) in try list(databases, "databases").enumerated() {
            configuration.databases.append(try database(entry, "databases[\(index)]", registry: registry))
        }
        if configuration.databases.isEmpty {
            throw ConfigurationError(key: "databases", problem: "is empty: list at least one database")
        }
        var seen: Set<String> = []
        for (index, database) in configuration.databases.enumerated() where !seen.insert(database.id).inserted {
            throw ConfigurationError(key: "databases[\(index)].id", problem: "'\(database.id)' is used by an earlier database")
        }

        if let defaultDB = top["default_db"], defaultDB != .null {
            let id = try string(defaultDB, "default_db")
            guard seen.contains(id) else {
                throw ConfigurationError(key: "default_db", problem: "'\(id)' is not the id of a configured database")
            }
            configuration.defaultDatabaseID = id
        }

        if let auth = top["auth"] {
            let auth = try map(auth, "auth", allowed: ["tokens", "sigv4"])
            if let tokens = auth["tokens"] {
                for (index, entry) in try list(tokens, "auth.tokens").enumerated() {
                    configuration.tokens.append(try token(entry, "auth.tokens[\(index)]", databaseIDs: seen))
                }
            }
            if let sigV4 = auth["sigv4"], sigV4 != .null {
                configuration.sigV4 = try self.sigV4(sigV4, databaseIDs: seen)
            }
        }

        if let limits = top["limits"] {
            let limits = try map(limits, "limits", allowed: ["max_ids_per_request", "max_body_bytes"])
            if let value = limits["max_ids_per_request"] {
                configuration.limits.maxIDsPerRequest = try integer(value, "limits.max_ids_per_request", in: 1...100_000_000)
            }
            if let value = limits["max_body_bytes"] {
                configuration.limits.maxBodyBytes = try integer(value, "limits.max_body_bytes", in: 1024...(4 << 30))
            }
        }

        if let logging = top["logging"] {
            let logging = try map(logging, "logging", allowed: ["level", "format"])
            if let format = logging["format"] {
                let text = try string(format, "logging.format")
                guard let parsed = GatewayConfiguration.LogFormat(rawValue: text) else {
                    throw ConfigurationError(key: "logging.format", problem: "'\(text)' is not one of plain, json")
                }
                configuration.logFormat = parsed
            }
            if let level = logging["level"] {
                let text = try string(level, "logging.level")
                guard let parsed = Logger.Level(rawValue: text) else {
                    throw ConfigurationError(key: "logging.level", problem: "'\(text)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                configuration.logLevel = parsed
            }
        }
        if let metrics = top["metrics"] {
            let metrics = try map(metrics, "metrics", allowed: ["enabled", "require_token"])
            if let enabled = metrics["enabled"] { configuration.metricsEnabled = try bool(enabled, "metrics.enabled") }
            if let requireToken = metrics["require_token"] {
                configuration.metricsRequireToken = try bool(requireToken, "metrics.require_token")
                if configuration.metricsRequireToken, configuration.tokens.isEmpty, configuration.sigV4 == nil {
                    throw ConfigurationError(key: "metrics.require_token", problem: "is true but auth.tokens and auth.sigv4 are empty: nobody could read /metrics")
                }
            }
        }
        if let batch = top["batch"] {
            configuration.batch = try self.batch(batch)
        }
        return configuration
    }

    private func batch(_ value: ConfigValue) throws(ConfigurationError) -> BatchConfiguration {
        let entry = try map(value, "batch", allowed: [
            "enabled", "min_job_seconds", "session_delay_ms", "poll_interval_ms", "lease_seconds", "max_concurrent_jobs", "region", "account_id",
        ])
        var batch = BatchConfiguration()
        if let enabled = entry["enabled"] { batch.enabled = try bool(enabled, "batch.enabled") }
        if let value = entry["min_job_seconds"] { batch.minJobSeconds = try integer(value, "batch.min_job_seconds", in: 0...86_400) }
        if let value = entry["session_delay_ms"] { batch.sessionDelayMilliseconds = try integer(value, "batch.session_delay_ms", in: 0...3_600_000) }
        if let value = entry["poll_interval_ms"] { batch.pollIntervalMilliseconds = try integer(value, "batch.poll_interval_ms", in: 10...60_000) }
        if let value = entry["lease_seconds"] { batch.leaseSeconds = try integer(value, "batch.lease_seconds", in: 2...3600) }
        if let value = entry["max_concurrent_jobs"] { batch.maxConcurrentJobs = try integer(value, "batch.max_concurrent_jobs", in: 1...256) }
        if let value = entry["region"] {
            let region = try string(value, "batch.region")
            guard !region.isEmpty, region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
                throw ConfigurationError(key: "batch.region", problem: "'\(region)' is not a region name (lower-case letters, digits, '-')")
            }
            batch.region = region
        }
        if let value = entry["account_id"] {
            let account = try string(value, "batch.account_id")
            guard account.utf8.count == 12, account.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw ConfigurationError(key: "batch.account_id", problem: "'\(account)' is not a 12-digit account id")
            }
            batch.accountID = account
        }
        // A runner renews its lease between polls: a poll as long as half a lease would let the lease
        // lapse under a job that is still being worked on, and another runner would take it over.
        guard batch.pollIntervalMilliseconds * 2 < batch.leaseSeconds * 1000 else {
            throw ConfigurationError(
                key: "batch.poll_interval_ms",
                problem: "\(batch.pollIntervalMilliseconds) ms must be less than half of batch.lease_seconds (\(batch.leaseSeconds) s)"
            )
        }
        return batch
    }

    private func database(_ value: ConfigValue, _ path: String, registry: AdapterRegistry) throws(ConfigurationError) -> DatabaseConfiguration {
        let entry = try map(value, path, allowed: nil)
        guard let idValue = entry["id"] else { throw ConfigurationError(key: "\(path).id", problem: "is required") }
        let id = try string(idValue, "\(path).id")
        guard !id.isEmpty else { throw ConfigurationError(key: "\(path).id", problem: "must not be empty") }
        guard let kindValue = entry["adapter"] else { throw ConfigurationError(key: "\(path).adapter", problem: "is required") }
        let kind = try string(kindValue, "\(path).adapter")
        guard let adapter = registry.adapter(kind: kind) else {
            throw ConfigurationError(key: "\(path).adapter", problem: "unknown adapter '\(kind)' (registered: \(registry.kinds.joined(separator: ", ")))")
        }
        var tables = ["agno_eval_runs"]
        if let tablesValue = entry["tables"] {
            tables = []
            for (index, table) in try list(tablesValue, "\(path).tables").enumerated() {
                let name = try string(table, "\(path).tables[\(index)]")
                guard !name.isEmpty, !tables.contains(name) else {
                    throw ConfigurationError(key: "\(path).tables[\(index)]", problem: name.isEmpty ? "must not be empty" : "'\(name)' is listed twice")
                }
                tables.append(name)
            }
            guard !tables.isEmpty else { throw ConfigurationError(key: "\(path).tables", problem: "must list at least one table") }
        }
        var options: [String: ConfigValue] = [:]
        for (key, value) in entry where !["id", "adapter", "tables"].contains(key) {
            guard adapter.optionKeys.contains(key) else {
                let accepted = (["id", "adapter", "tables"] + adapter.optionKeys.sorted()).joined(separator: ", ")
                throw ConfigurationError(key: "\(path).\(key)", problem: "is not a key of a '\(kind)' database (accepted: \(accepted))")
            }
            options[key] = try expanded(value, "\(path).\(key)")
        }
        let configuration = DatabaseConfiguration(id: id, adapter: kind, tables: tables, options: AdapterOptions(options, path: path))
        try adapter.validate(configuration)
        return configuration
    }

    private func token(_ value: ConfigValue, _ path: String, databaseIDs: Set<String>) throws(ConfigurationError) -> AccessToken {
        let entry = try map(value, path, allowed: ["name", "token", "scopes", "databases"])
        guard let secretValue = entry["token"] else { throw ConfigurationError(key: "\(path).token", problem: "is required") }
        let secret = try string(secretValue, "\(path).token")
        guard !secret.isEmpty else { throw ConfigurationError(key: "\(path).token", problem: "must not be empty (is its environment variable set?)") }
        let (scopes, databases) = try grants(entry, path, databaseIDs: databaseIDs)
        let name = try entry["name"].map { (value) throws(ConfigurationError) in try string(value, "\(path).name") } ?? "token-\(path)"
        return AccessToken(name: name, secret: secret, scopes: scopes, databases: databases)
    }

    /// `auth.sigv4`: the access keys (each with its principal's scopes and databases), the optional
    /// pinned region and the clock-skew limit.
    private func sigV4(_ value: ConfigValue, databaseIDs: Set<String>) throws(ConfigurationError) -> SigV4Configuration {
        let entry = try map(value, "auth.sigv4", allowed: ["credentials", "region", "max_clock_skew_seconds"])
        var credentials: [SigV4Credential] = []
        for (index, item) in try list(entry["credentials"] ?? .list([]), "auth.sigv4.credentials").enumerated() {
            let path = "auth.sigv4.credentials[\(index)]"
            let credential = try sigV4Credential(item, path, databaseIDs: databaseIDs)
            guard !credentials.contains(where: { $0.accessKeyID == credential.accessKeyID }) else {
                throw ConfigurationError(key: "\(path).access_key_id", problem: "'\(credential.accessKeyID)' is used by an earlier credential")
            }
            credentials.append(credential)
        }
        guard !credentials.isEmpty else {
            throw ConfigurationError(key: "auth.sigv4.credentials", problem: "must list at least one access key (or leave auth.sigv4 out)")
        }
        var region: String?
        if let value = entry["region"], value != .null {
            let text = try string(value, "auth.sigv4.region")
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
                throw ConfigurationError(key: "auth.sigv4.region", problem: "'\(text)' is not a region name (lower-case letters, digits, '-')")
            }
            region = text
        }
        var skew = SigV4Configuration.defaultMaxClockSkewSeconds
        if let value = entry["max_clock_skew_seconds"] {
            skew = try integer(value, "auth.sigv4.max_clock_skew_seconds", in: 1...3600)
        }
        return SigV4Configuration(credentials: credentials, region: region, maxClockSkewSeconds: skew)
    }

    private func sigV4Credential(_ value: ConfigValue, _ path: String, databaseIDs: Set<String>) throws(ConfigurationError) -> SigV4Credential {
        let entry = try map(value, path, allowed: ["name", "access_key_id", "secret_access_key", "scopes", "databases"])
        guard let keyValue = entry["access_key_id"] else { throw ConfigurationError(key: "\(path).access_key_id", problem: "is required") }
        let keyID = try string(keyValue, "\(path).access_key_id")
        guard !keyID.isEmpty, keyID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ",") }) else {
            throw ConfigurationError(
                key: "\(path).access_key_id",
                problem: keyID.isEmpty ? "must not be empty (is its environment variable set?)" : "must be printable ASCII without spaces, '/' or ','"
            )
        }
        guard let secretValue = entry["secret_access_key"] else { throw ConfigurationError(key: "\(path).secret_access_key", problem: "is required") }
        let secret = try string(secretValue, "\(path).secret_access_key")
        guard !secret.isEmpty else {
            throw ConfigurationError(key: "\(path).secret_access_key", problem: "must not be empty (is its environment variable set?)")
        }
        let (scopes, databases) = try grants(entry, path, databaseIDs: databaseIDs)
        let name = try entry["name"].map { (value) throws(ConfigurationError) in try string(value, "\(path).name") }
        return SigV4Credential(accessKeyID: keyID, secretAccessKey: secret, name: name, scopes: scopes, databases: databases)
    }

    /// A principal's `scopes` (at least one) and `databases` (default `["*"]`).
    private func grants(_ entry: [String: ConfigValue], _ path: String, databaseIDs: Set<String>) throws(ConfigurationError) -> (Set<Scope>, Set<String>) {
        var scopes: Set<Scope> = []
        for (index, item) in try list(entry["scopes"] ?? .list([]), "\(path).scopes").enumerated() {
            let text = try string(item, "\(path).scopes[\(index)]")
            guard let scope = Scope(rawValue: text) else {
                throw ConfigurationError(key: "\(path).scopes[\(index)]", problem: "'\(text)' is not one of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw ConfigurationError(key: "\(path).scopes", problem: "must list at least one scope") }
        var databases: Set<String> = []
        for (index, item) in try list(entry["databases"] ?? .list([.string("*")]), "\(path).databases").enumerated() {
            let id = try string(item, "\(path).databases[\(index)]")
            guard id == "*" || databaseIDs.contains(id) else {
                throw ConfigurationError(key: "\(path).databases[\(index)]", problem: "'\(id)' is not the id of a configured database")
            }
            databases.insert(id)
        }
        return (scopes, databases)
    }

    // MARK: - Typed access

    private func map(_ value: ConfigValue, _ path: String, allowed: Set<String>?) throws(ConfigurationError) -> [String: ConfigValue] {
        guard case .map(let members) = value else {
            throw ConfigurationError(key: path, problem: "expected a mapping, found '\(value)'")
        }
        if let allowed {
            for key in members.keys.sorted() where !allowed.contains(key) {
                throw ConfigurationError(key: path == "(document)" ? key : "\(path).\(key)", problem: "is not a known key (known: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        return members
    }

    private func list(_ value: ConfigValue, _ path: String) throws(ConfigurationError) -> [ConfigValue] {
        switch value {
        case .list(let items): return items
        case .null: return []
        default: throw ConfigurationError(key: path, problem: "expected a list, found '\(value)'")
        }
    }

    private func string(_ value: ConfigValue, _ path: String) throws(ConfigurationError) -> String {
        switch try expanded(value, path) {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: throw ConfigurationError(key: path, problem: "expected a string, found '\(value)'")
        }
    }

    private func integer(_ value: ConfigValue, _ path: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let number: Int
        switch try expanded(value, path) {
        case .integer(let parsed): number = parsed
        case .string(let text) where Int(text) != nil: number = Int(text)!
        default: throw ConfigurationError(key: path, problem: "expected an integer, found '\(value)'")
        }
        guard range.contains(number) else {
            throw ConfigurationError(key: path, problem: "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
        }
        return number
    }

    private func bool(_ value: ConfigValue, _ path: String) throws(ConfigurationError) -> Bool {
        switch try expanded(value, path) {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw ConfigurationError(key: path, problem: "expected true or false, found '\(value)'")
        }
    }

    /// Replaces `${NAME}` in strings (recursively in lists and maps) by the environment's value.
    private func expanded(_ value: ConfigValue, _ path: String) throws(ConfigurationError) -> ConfigValue {
        switch value {
        case .string(let text):
            guard text.contains("${") else { return value }
            var result = ""
            var rest = Substring(text)
            while let open = rest.range(of: "${") {
                result += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    throw ConfigurationError(key: path, problem: "has an unterminated '${' reference")
                }
                let name = String(rest[open.upperBound..<close])
                guard let replacement = environment[name] else {
                    throw ConfigurationError(key: path, problem: "refers to environment variable \(name), which is not set")
                }
                result += replacement
                rest = rest[rest.index(after: close)...]
            }
            return .string(result + rest)
        case .list(let items):
            var expandedItems: [ConfigValue] = []
            for (index, item) in items.enumerated() { expandedItems.append(try expanded(item, "\(path)[\(index)]")) }
            return .list(expandedItems)
        case .map(let members):
            var expandedMembers: [String: ConfigValue] = [:]
            for (key, member) in members { expandedMembers[key] = try expanded(member, "\(path).\(key)") }
            return .map(expandedMembers)
        default:
            return value
        }
    }
}

extension ConfigValue {
    /// Converts what Yams loaded (`String`, `Int`, `Double`, `Bool`, arrays, dictionaries, null).
    init(yaml value: Any) throws(ConfigurationError) {
        switch value {
        case let text as String: self = .string(text)
        case let flag as Bool: self = .bool(flag)
        case let number as Int: self = .integer(number)
        case let number as Double: self = .double(number)
        case let items as [Any]:
            var values: [ConfigValue] = []
            for item in items { values.append(try ConfigValue(yaml: item)) }
            self = .list(values)
        case let members as [AnyHashable: Any]:
            var values: [String: ConfigValue] = [:]
            for (key, member) in members {
                guard let key = key.base as? String else {
                    throw ConfigurationError(key: "\(key)", problem: "keys must be strings")
                }
                values[key] = try ConfigValue(yaml: member)
            }
            self = .map(values)
        case is NSNull: self = .null
        case Optional<Any>.none: self = .null
        default: self = .string(String(describing: value))
        }
    }
}
