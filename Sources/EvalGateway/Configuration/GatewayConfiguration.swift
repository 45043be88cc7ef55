public import EvalGatewayCore
public import EvalGatewayHTTP
public import Logging
import Foundation

/// The gateway's configuration file (`config/gateway.yaml`), read and checked before anything opens.
///
/// ```yaml
/// server: { host: 127.0.0.1, port: 7070 }
/// registry: { adapter: sqlite, path: ./data/registry.sqlite }   # where admin-API tenants live
/// default_db: local            # optional
/// databases:                   # declared tenants (the admin API adds more at run time)
///   - id: local
///     adapter: sqlite
///     path: ./data/evals.sqlite
///     tables: [agno_eval_runs]
///     rate: { requests_per_second: 100, burst: 200 }   # optional
/// auth:
///   tokens: []                 # bearer tokens; none (and no sigv4, no API tokens) = open
///   sigv4: { credentials: [...] }
/// limits: { max_ids_per_request: 1000000, max_body_bytes: 67108864 }
/// logging: { level: info, format: plain }
/// metrics: { enabled: true, require_token: false, per_database: true }
/// fanout: { max_parallel: 8 }               # databases one fan-out delete works on at once
/// delete: { filter_batch_rows: 10000 }      # rows per transaction of a delete by filter
/// retention: { interval_seconds: 3600 }     # the sweeper of databases with retention: {max_age_days}
/// audit: { include_ids: false }             # records keep the ids' digest; true: the ids too
/// ```
///
/// The file is decoded through ``ConfigDecoder``: any scalar may be a `${ENV_VAR}` reference, unknown
/// keys are refused, and every problem is reported as `file:line:column: key.path: problem`. A database
/// entry is checked by ``DatabaseDefinition/validate(id:registry:)``, the same check the admin API uses.
public struct GatewayConfiguration: Sendable {
    /// The address to bind.
    public var host: String = "127.0.0.1"
    /// The port to bind.
    public var port: Int = 7070
    /// The `os_id` that `GET /config` reports.
    public var osID: String = "evalgw"
    /// The most backend connections open at once across all databases.
    public var maxOpenConnections = 512
    /// How long an idle keep-alive connection stays open, in seconds.
    public var idleTimeoutSeconds = 60
    /// How long a request's head and body may take to arrive, in seconds.
    public var readTimeoutSeconds = 30
    /// The idle and read timeouts, as the HTTP server takes them.
    public var connectionTimeouts: ConnectionTimeouts {
        ConnectionTimeouts(idle: .seconds(idleTimeoutSeconds), read: .seconds(readTimeoutSeconds))
    }
    /// Where the tenants made through the admin API are kept.
    public var registry = RegistryConfiguration()
    /// The database used when a request names none and several are registered.
    public var defaultDatabaseID: String?
    /// The databases declared in the file, in order.
    public var databases: [DatabaseConfiguration] = []
    /// The bearer tokens declared in the file; none (and no SigV4 keys, no API tokens) = open.
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
    /// Whether each database has backend metric series of its own (`false`: one set per adapter kind).
    public var metricsPerDatabase = true
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    public var shutdownGraceSeconds = 30
    /// The batch-evaluation runner and job naming (`batch`).
    public var batch = BatchConfiguration()
    /// Fan-out parallelism, the batch size of deletes by filter, and whether audit records keep ids
    /// (`fanout`, `delete`, `audit.include_ids`).
    public var dataOperations = DataOperationSettings()
    /// The retention sweeper (`retention`).
    public var retention = RetentionConfiguration()

    /// Log line formats.
    public enum LogFormat: String, Sendable, CaseIterable, Decodable {
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
        let node = try ConfigNode(yaml: text)
        let result = ConfigurationReading.$adapters.withValue(registry) {
            Result { () throws(ConfigurationError) -> GatewayConfiguration in
                try ConfigDecoder(environment: environment).decode(ConfigurationFile.self, from: node).configuration
            }
        }
        return try result.get()
    }
}

/// Where the tenants made through the admin API are kept (`registry:`): an adapter kind that can keep a
/// registry, its options, and how often a gateway checks the store for changes made elsewhere.
public struct RegistryConfiguration: Sendable, Equatable {
    /// The adapter kind (`sqlite`, `postgres`, `memory`).
    public var adapter: String
    /// Its options (`path`; `url`, `schema`).
    public var options: AdapterOptions
    /// How often the store's version is checked, in milliseconds (changes are pushed sooner where the
    /// store can push them).
    public var pollIntervalMilliseconds: Int

    /// A registry kept in memory (entries made through the API last until the gateway stops).
    public init(adapter: String = "memory", options: AdapterOptions = AdapterOptions(path: "registry"), pollIntervalMilliseconds: Int = 1000) {
        self.adapter = adapter
        self.options = options
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
    }
}

/// What the file is read against while it is decoded.
enum ConfigurationReading {
    /// The adapter kinds entries are checked with.
    @TaskLocal static var adapters = AdapterRegistry()
}
