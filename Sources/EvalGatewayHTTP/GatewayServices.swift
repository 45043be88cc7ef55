public import EvalGatewayCore
public import Logging
public import Prometheus
import CoreMetrics
import Synchronization

/// What the HTTP surfaces share: the live catalog of databases and tokens, the tenant registry that
/// changes it, the rate limits, the request limits, the cursor key, the clock and the logger.
public struct GatewayServices: Sendable {
    /// The databases and tokens in force, and the resolution rules.
    public var catalog: DatabaseCatalog
    /// The tenant registry behind the admin API; `nil` serves no admin API.
    public var registry: TenantRegistry?
    /// The token buckets of the per-token and per-database rates.
    public var throttle: RequestThrottle
    /// The `os_id` that `GET /config` reports.
    public var osID: String
    /// The bearer tokens and SigV4 access keys in force.
    public var access: AccessPolicy { catalog.access }
    /// Request size limits.
    public var limits: RequestLimits
    /// Fan-out, delete-by-filter and audit settings.
    public var dataOperations: DataOperationSettings
    /// The server logger.
    public var logger: Logger
    /// The Prometheus registry behind `/metrics`; `nil` when metrics are off.
    public var metrics: MetricsExposition?
    /// The wall clock, in epoch seconds, that SigV4-signed requests' dates are checked against.
    public var now: @Sendable () -> Int64
    /// Seals and opens the opaque cursors clients carry between pages (`nextToken`). Gateways that serve
    /// the same databases must share its key, so a cursor one of them issues works on the others.
    public var cursors: CursorAuthenticator

    /// Bundles the services.
    public init(
        catalog: DatabaseCatalog,
        registry: TenantRegistry? = nil,
        throttle: RequestThrottle = RequestThrottle(),
        limits: RequestLimits = RequestLimits(),
        dataOperations: DataOperationSettings = DataOperationSettings(),
        metrics: MetricsExposition? = nil,
        cursors: CursorAuthenticator = .random(),
        logger: Logger,
        osID: String = "evalgw",
        now: @escaping @Sendable () -> Int64 = Timestamp.now
    ) {
        self.catalog = catalog
        self.registry = registry
        self.throttle = throttle
        self.osID = osID
        self.limits = limits
        self.dataOperations = dataOperations
        self.metrics = metrics
        self.cursors = cursors
        self.logger = logger
        self.now = now
    }
}

/// How metrics are exposed: the registry `/metrics` renders, its factory, and whether a token is needed.
public struct MetricsExposition: Sendable {
    /// The registry the gateway's metrics live in.
    public let registry: PrometheusCollectorRegistry
    /// A factory over `registry`, with histogram buckets fit for sub-millisecond to seconds.
    public let factory: PrometheusMetricsFactory
    /// Whether `/metrics` needs a bearer token (any configured token).
    public var requireToken: Bool
    /// The HTTP request series, shared by the router and the connections (a request the router never
    /// sees, such as one whose head cannot be read, is counted too).
    public let requests: HTTPRequestMetrics
    /// `evalgw_throttled_requests_total`.
    let throttled: ThrottledRequestCounters

    /// A fresh registry.
    public init(requireToken: Bool = false) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
        self.requireToken = requireToken
        self.requests = HTTPRequestMetrics(factory: factory)
        self.throttled = ThrottledRequestCounters(factory: factory)
    }
}

/// Request size limits (`limits` in configuration). Exceeding one answers 413.
public struct RequestLimits: Sendable, Equatable {
    /// The most ids one bulk delete may carry.
    public var maxIDsPerRequest: Int
    /// The largest request body, in bytes.
    public var maxBodyBytes: Int

    /// Creates limits; the defaults are those of the shipped configuration.
    public init(maxIDsPerRequest: Int = 1_000_000, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.maxIDsPerRequest = maxIDsPerRequest
        self.maxBodyBytes = maxBodyBytes
    }
}

/// How cross-tenant data operations run (`fanout`, `delete` and `audit` in configuration).
public struct DataOperationSettings: Sendable, Equatable {
    /// The most databases a fan-out works on at once (`fanout.max_parallel`).
    public var fanOutMaxParallel: Int
    /// The most rows one transaction of a delete by filter removes (`delete.filter_batch_rows`).
    public var filterBatchRows: Int
    /// Whether audit records keep the ids themselves, not only their digest (`audit.include_ids`).
    public var auditIncludesIDs: Bool

    /// Creates settings; the defaults are those of the shipped configuration.
    public init(fanOutMaxParallel: Int = 8, filterBatchRows: Int = 10_000, auditIncludesIDs: Bool = false) {
        self.fanOutMaxParallel = fanOutMaxParallel
        self.filterBatchRows = filterBatchRows
        self.auditIncludesIDs = auditIncludesIDs
    }
}

/// `evalgw_throttled_requests_total{scope, name}`: requests refused by a rate limit, a series per token or
/// database made on its first refusal (names come from configuration, never from the request).
final class ThrottledRequestCounters: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])

    init(factory: any MetricsFactory) { self.factory = factory }

    func record(scope: ThrottleScope, name: String) {
        let key = "\(scope.rawValue)\u{0}\(name)"
        let counter = counters.withLock { counters in
            if let found = counters[key] { return found }
            let made = CoreMetrics.Counter(label: "evalgw_throttled_requests_total", dimensions: [("scope", scope.rawValue), ("name", name)], factory: factory)
            counters[key] = made
            return made
        }
        counter.increment()
    }
}
