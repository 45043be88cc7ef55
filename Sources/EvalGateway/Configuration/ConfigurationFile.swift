import EvalGatewayCore
import EvalGatewayHTTP
import Logging

/// The whole file, decoded section by section and checked as it goes, in the order a reader would
/// expect problems: server, registry, databases, default database, auth, limits, logging, metrics, batch,
/// fanout, delete, retention, audit.
struct ConfigurationFile: Decodable {
    var configuration = GatewayConfiguration()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case server, registry, databases, auth, limits, logging, metrics, batch, fanout, delete, retention, audit
        case defaultDB = "default_db"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let adapters = ConfigurationReading.adapters

        if let server = try container.decodeIfPresent(ServerSection.self, forKey: .server) {
            server.apply(to: &configuration)
        }
        if let registry = try container.decodeIfPresent(RegistrySection.self, forKey: .registry) {
            configuration.registry = try registry.validate(adapters: adapters)
        }

        var ids: Set<String> = []
        for definition in try container.decodeIfPresent([DatabaseDefinition].self, forKey: .databases) ?? [] {
            let database = try definition.validate(registry: adapters)
            guard ids.insert(database.id).inserted else {
                throw definition.problemWithID("'\(database.id)' is used by an earlier database")
            }
            configuration.databases.append(database)
        }

        if let id = try container.decodeIfPresent(String.self, forKey: .defaultDB) {
            guard ids.contains(id) else {
                throw container.problem(.defaultDB, "'\(id)' is not the id of a configured database")
            }
            configuration.defaultDatabaseID = id
        }

        if let auth = try container.decodeIfPresent(AuthSection.self, forKey: .auth) {
            try auth.apply(to: &configuration, databaseIDs: ids)
        }
        if let limits = try container.decodeIfPresent(LimitsSection.self, forKey: .limits) {
            limits.apply(to: &configuration.limits)
        }
        if let logging = try container.decodeIfPresent(LoggingSection.self, forKey: .logging) {
            if let level = logging.level { configuration.logLevel = level }
            if let format = logging.format { configuration.logFormat = format }
        }
        if let metrics = try container.decodeIfPresent(MetricsSection.self, forKey: .metrics) {
            if let enabled = metrics.enabled { configuration.metricsEnabled = enabled }
            if let perDatabase = metrics.perDatabase { configuration.metricsPerDatabase = perDatabase }
            if let requireToken = metrics.requireToken {
                configuration.metricsRequireToken = requireToken
                if requireToken, configuration.tokens.isEmpty, configuration.sigV4 == nil {
                    throw metrics.requireTokenProblem("is true but auth.tokens and auth.sigv4 are empty: nobody could read /metrics")
                }
            }
        }
        if let batch = try container.decodeIfPresent(BatchConfiguration.self, forKey: .batch) {
            configuration.batch = batch
        }
        if let fanOut = try container.decodeIfPresent(FanOutSection.self, forKey: .fanout), let maxParallel = fanOut.maxParallel {
            configuration.dataOperations.fanOutMaxParallel = maxParallel
        }
        if let delete = try container.decodeIfPresent(DeleteSection.self, forKey: .delete), let rows = delete.filterBatchRows {
            configuration.dataOperations.filterBatchRows = rows
        }
        if let retention = try container.decodeIfPresent(RetentionConfiguration.self, forKey: .retention) {
            configuration.retention = retention
        }
        if let audit = try container.decodeIfPresent(AuditSection.self, forKey: .audit) {
            if let includeIDs = audit.includeIDs { configuration.dataOperations.auditIncludesIDs = includeIDs }
        }
    }
}

/// `server:`.
struct ServerSection: Decodable {
    var host: String?
    var port: Int?
    var shutdownGraceSeconds: Int?
    var osID: String?
    var maxOpenConnections: Int?
    var idleTimeoutSeconds: Int?
    var readTimeoutSeconds: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port
        case shutdownGraceSeconds = "shutdown_grace_seconds"
        case osID = "os_id"
        case maxOpenConnections = "max_open_connections"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case readTimeoutSeconds = "read_timeout_seconds"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeNonEmptyIfPresent(String.self, forKey: .host)
        port = try container.decodeIfPresent(Int.self, forKey: .port, in: 0...65535)
        shutdownGraceSeconds = try container.decodeIfPresent(Int.self, forKey: .shutdownGraceSeconds, in: 0...3600)
        osID = try container.decodeNonEmptyIfPresent(String.self, forKey: .osID)
        maxOpenConnections = try container.decodeIfPresent(Int.self, forKey: .maxOpenConnections, in: 1...1_000_000)
        idleTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .idleTimeoutSeconds, in: 1...86_400)
        readTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .readTimeoutSeconds, in: 1...3600)
    }

    func apply(to configuration: inout GatewayConfiguration) {
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let shutdownGraceSeconds { configuration.shutdownGraceSeconds = shutdownGraceSeconds }
        if let osID { configuration.osID = osID }
        if let maxOpenConnections { configuration.maxOpenConnections = maxOpenConnections }
        if let idleTimeoutSeconds { configuration.idleTimeoutSeconds = idleTimeoutSeconds }
        if let readTimeoutSeconds { configuration.readTimeoutSeconds = readTimeoutSeconds }
    }
}

/// `registry:` — `adapter`, `poll_interval_ms`, and the adapter kind's own options.
struct RegistrySection: Decodable {
    var adapter: String
    var pollIntervalMilliseconds: Int?
    var options: AdapterOptions
    var adapterProblem: @Sendable (String) -> ConfigurationError

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyConfigKey.self)
        let adapterKey = AnyConfigKey("adapter"), pollKey = AnyConfigKey("poll_interval_ms")
        adapter = try container.decode(String.self, forKey: adapterKey)
        pollIntervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: pollKey, in: 100...60_000)
        var values: [String: ConfigValue] = [:]
        var locations: [String: ConfigNode.Location] = [:]
        let context = ConfigDecodingContext.current
        for key in container.allKeys where key != adapterKey && key != pollKey {
            values[key.stringValue] = try container.decode(ConfigValue.self, forKey: key)
            locations[key.stringValue] = context?.location(container.codingPath + [key])
        }
        options = AdapterOptions(values, path: "registry", locations: locations)
        let problem = container.problem(adapterKey, "")
        adapterProblem = { ConfigurationError(location: problem.location, key: problem.key, problem: $0) }
    }

    func validate(adapters: AdapterRegistry) throws(ConfigurationError) -> RegistryConfiguration {
        guard let kind = adapters.adapter(kind: adapter) as? any RegistryStoreAdapter else {
            let able = adapters.kinds.filter { adapters.adapter(kind: $0) is any RegistryStoreAdapter }
            throw adapterProblem("'\(adapter)' cannot keep the registry (kinds that can: \(able.joined(separator: ", ")))")
        }
        for key in options.values.keys.sorted() where !kind.registryOptionKeys.contains(key) {
            let accepted = (["adapter", "poll_interval_ms"] + kind.registryOptionKeys.sorted()).joined(separator: ", ")
            throw options.problem(key, "is not a key of a '\(adapter)' registry (accepted: \(accepted))")
        }
        try kind.validateRegistry(options)
        return RegistryConfiguration(adapter: adapter, options: options, pollIntervalMilliseconds: pollIntervalMilliseconds ?? 1000)
    }
}

/// `limits:`.
struct LimitsSection: Decodable {
    var maxIDsPerRequest: Int?
    var maxBodyBytes: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxIDsPerRequest = "max_ids_per_request"
        case maxBodyBytes = "max_body_bytes"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxIDsPerRequest = try container.decodeIfPresent(Int.self, forKey: .maxIDsPerRequest, in: 1...100_000_000)
        maxBodyBytes = try container.decodeIfPresent(Int.self, forKey: .maxBodyBytes, in: 1024...(4 << 30))
    }

    func apply(to limits: inout RequestLimits) {
        if let maxIDsPerRequest { limits.maxIDsPerRequest = maxIDsPerRequest }
        if let maxBodyBytes { limits.maxBodyBytes = maxBodyBytes }
    }
}

/// `logging:`.
struct LoggingSection: Decodable {
    var level: Logger.Level?
    var format: GatewayConfiguration.LogFormat?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case level, format
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .format) {
            guard let format = GatewayConfiguration.LogFormat(rawValue: text) else {
                throw container.problem(.format, "'\(text)' is not one of plain, json")
            }
            self.format = format
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .level) {
            guard let level = Logger.Level(rawValue: text) else {
                throw container.problem(.level, "'\(text)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.level = level
        }
    }
}

/// `metrics:`.
struct MetricsSection: Decodable {
    var enabled: Bool?
    var requireToken: Bool?
    var perDatabase: Bool?
    var requireTokenProblem: @Sendable (String) -> ConfigurationError

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
        case requireToken = "require_token"
        case perDatabase = "per_database"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        requireToken = try container.decodeIfPresent(Bool.self, forKey: .requireToken)
        perDatabase = try container.decodeIfPresent(Bool.self, forKey: .perDatabase)
        let problem = container.problem(.requireToken, "")
        requireTokenProblem = { ConfigurationError(location: problem.location, key: problem.key, problem: $0) }
    }
}
