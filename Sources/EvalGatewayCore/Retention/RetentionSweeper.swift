public import CoreMetrics
public import Logging
import Synchronization

/// Deletes the eval runs each database keeps past its retention policy (`retention: {max_age_days}`):
/// every interval, the rows of every registered table whose `created_at` is older than the policy's age,
/// in batches (one transaction and one audit record of kind `retention` each).
///
/// Cost follows the policies, not the tenants: there is one sweeper, no timer per database, and it
/// walks only the databases that have a policy. With a lease store (the registry store of a fleet),
/// each database's sweep takes the lease `retention:<db_id>` for one interval, so exactly one gateway
/// sweeps it; the gateway that holds it keeps it by renewing it each interval.
///
/// A database that fails (down, locked) is logged once in that pass, keeps its metrics as they were, and
/// is tried again next interval. Time comes from an injected clock and wall clock: tests need no sleep.
public final class RetentionSweeper: Sendable {
    /// How a sweeper runs.
    public struct Configuration: Sendable {
        /// Time between two sweeps (`retention.interval_seconds`).
        public var interval: Duration
        /// The most rows one transaction removes (`delete.filter_batch_rows`).
        public var batchRows: Int
        /// Whether audit records keep the ids (`audit.include_ids`).
        public var includeIDs: Bool
        /// Databases swept at once.
        public var maxParallel: Int
        /// The owner name of this gateway's leases.
        public var ownerID: String

        /// Creates a configuration.
        public init(interval: Duration = .seconds(3600), batchRows: Int = 10_000, includeIDs: Bool = false, maxParallel: Int = 4, ownerID: String) {
            self.interval = interval
            self.batchRows = batchRows
            self.includeIDs = includeIDs
            self.maxParallel = maxParallel
            self.ownerID = ownerID
        }
    }

    /// One database's part of a sweep.
    public struct Outcome: Sendable, Equatable {
        /// What happened.
        public enum Result: Sendable, Equatable {
            /// Swept: the rows removed.
            case swept(deleted: Int)
            /// Another gateway holds the database's lease.
            case leasedElsewhere
            /// It failed (after removing `deleted` rows); tried again next interval.
            case failed(deleted: Int)
        }

        /// The database.
        public var databaseID: String
        /// What happened.
        public var result: Result

        /// Creates an outcome.
        public init(databaseID: String, result: Result) {
            self.databaseID = databaseID
            self.result = result
        }
    }

    private let catalog: DatabaseCatalog
    private let leases: (any RegistryStore)?
    private let configuration: Configuration
    private let metrics: RetentionMetrics?
    private let logger: Logger
    private let clock: AnyClock
    private let now: @Sendable () -> Int64

    /// A sweeper over the databases of `catalog`.
    /// - Parameters:
    ///   - leases: where per-database leases are taken (the registry store); `nil` sweeps every database
    ///     with a policy, for a gateway that is alone.
    ///   - metricsFactory: where `evalgw_retention_*` are recorded; `nil` records none.
    ///   - clock: paces the sweeps.
    ///   - now: the wall clock, epoch milliseconds: the age of rows and the leases' times.
    public init(
        catalog: DatabaseCatalog,
        leases: (any RegistryStore)?,
        configuration: Configuration,
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger,
        clock: AnyClock = .continuous,
        now: @escaping @Sendable () -> Int64 = Timestamp.nowMilliseconds
    ) {
        self.catalog = catalog
        self.leases = leases
        self.configuration = configuration
        self.metrics = metricsFactory.map(RetentionMetrics.init)
        self.logger = logger
        self.clock = clock
        self.now = now
    }

    /// Sweeps now, then every interval, until the task is cancelled.
    public func run() async {
        logger.info("retention sweeper started", metadata: ["interval_seconds": .stringConvertible(configuration.interval.components.seconds)])
        while !Task.isCancelled {
            let started = clock.now
            _ = await sweep()
            do {
                try await clock.sleep(until: started.advanced(by: configuration.interval), tolerance: nil)
            } catch {
                break
            }
        }
        logger.info("retention sweeper stopped")
    }

    /// One pass over every database with a retention policy; returns what happened to each.
    @discardableResult
    public func sweep() async -> [Outcome] {
        let databases = catalog.databases.filter { $0.configuration.retention != nil }
        metrics?.keepOnly(Set(databases.map(\.id)))
        let pass = Self.passID()
        return await databases.concurrentMap(maxParallel: configuration.maxParallel) { database in
            await self.sweep(database, pass: pass)
        }
    }

    private func sweep(_ database: RegisteredDatabase, pass: String) async -> Outcome {
        guard let policy = database.configuration.retention else { return Outcome(databaseID: database.id, result: .swept(deleted: 0)) }
        let start = now()
        if let leases {
            do {
                let held = try await leases.acquireLease(
                    "retention:\(database.id)", owner: configuration.ownerID, until: start + Int64(configuration.interval.milliseconds), now: start
                )
                guard held else { return Outcome(databaseID: database.id, result: .leasedElsewhere) }
            } catch {
                logger.warning(
                    "retention sweep skipped: the registry store cannot give the database's lease; tried again next interval",
                    metadata: ["db_id": .string(database.id), "error": .string("\(StorageError(error))")]
                )
                return Outcome(databaseID: database.id, result: .failed(deleted: 0))
            }
        }
        let cutoff = start / 1000 - Int64(policy.maxAgeDays) * 86_400
        let audit = AuditContext(principal: AuditContext.retentionPrincipal, requestID: pass, includeIDs: configuration.includeIDs, now: now)
        let erasure = FilterErasure(filter: EvalRunFilter(createdBefore: cutoff), batchRows: configuration.batchRows, kind: .retention, audit: audit)
        var deleted = 0
        for table in database.configuration.tables {
            let outcome = await erasure.run(on: database.store, databaseID: database.id, table: table)
            deleted += outcome.deleted
            if let error = outcome.error {
                metrics?.record(databaseID: database.id, deleted: deleted, finishedAt: nil)
                if !(error is CancellationError) {
                    logger.warning(
                        "retention sweep failed; tried again next interval",
                        metadata: ["db_id": .string(database.id), "table": .string(table), "deleted": .stringConvertible(deleted), "error": .string("\(StorageError(error))")]
                    )
                }
                return Outcome(databaseID: database.id, result: .failed(deleted: deleted))
            }
        }
        metrics?.record(databaseID: database.id, deleted: deleted, finishedAt: now())
        if deleted > 0 {
            logger.info("retention sweep", metadata: ["db_id": .string(database.id), "deleted": .stringConvertible(deleted)])
        }
        return Outcome(databaseID: database.id, result: .swept(deleted: deleted))
    }

    /// A sweep's id, written as the request id of its audit records.
    private static func passID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return "retention-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// `evalgw_retention_rows_deleted_total{db_id}` and `evalgw_retention_last_run_timestamp_seconds{db_id}`:
/// series made for a database the first time it is swept, and dropped when it no longer has a policy.
final class RetentionMetrics: Sendable {
    private let factory: any MetricsFactory
    private let series = Mutex<[String: (deleted: CoreMetrics.Counter, lastRun: CoreMetrics.Gauge)]>([:])

    init(factory: any MetricsFactory) { self.factory = factory }

    /// Adds `deleted` rows and, for a sweep that finished, its time. A sweep that failed before removing
    /// anything changes nothing (and makes no series).
    func record(databaseID id: String, deleted: Int, finishedAt: Int64?) {
        guard deleted > 0 || finishedAt != nil else { return }
        let (counter, gauge) = series.withLock { series in
            if let found = series[id] { return found }
            let made = (
                CoreMetrics.Counter(label: "evalgw_retention_rows_deleted_total", dimensions: [("db_id", id)], factory: factory),
                CoreMetrics.Gauge(label: "evalgw_retention_last_run_timestamp_seconds", dimensions: [("db_id", id)], factory: factory)
            )
            series[id] = made
            return made
        }
        if deleted > 0 { counter.increment(by: deleted) }
        if let finishedAt { gauge.record(Double(finishedAt) / 1000) }
    }

    /// Drops the series of databases not in `ids`.
    func keepOnly(_ ids: Set<String>) {
        let gone = series.withLock { series in
            let gone = series.filter { !ids.contains($0.key) }
            for id in gone.keys { series[id] = nil }
            return Array(gone.values)
        }
        for (counter, gauge) in gone {
            counter.destroy()
            gauge.destroy()
        }
    }
}
