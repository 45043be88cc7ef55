public import CoreMetrics
import Metrics

/// Wraps any store and records, per operation, the metrics of DESIGN §7: requests by outcome, a latency
/// histogram, errors by kind, and for deletes the ids requested and the rows removed. The catalog wraps
/// every registered store in one, so a third-party adapter gets them without doing anything.
///
/// Label values come only from configuration (`db_id`, `adapter`) and fixed sets (operation, outcome),
/// so no request can create a new series. Every metric handle is created once, here.
///
/// It also normalizes errors: anything that is not a ``StorageError`` leaves as `.internal`.
public struct InstrumentedEvalRunStore: EvalRunStore {
    /// The store underneath.
    public let base: any EvalRunStore
    private let metrics: StoreMetrics

    /// Wraps `base`, registering its metrics with `factory`.
    public init(_ base: any EvalRunStore, databaseID: String, adapter: String, factory: any MetricsFactory) {
        self.base = base
        self.metrics = StoreMetrics(databaseID: databaseID, adapter: adapter, factory: factory)
    }

    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        try await measure(.list) { try await base.listEvalRuns(in: table, matching: query) }
    }

    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        try await measure(.get) { try await base.evalRun(id: id, in: table) }
    }

    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        try await measure(.create) { try await base.createEvalRun(run, in: table) }
    }

    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        try await measure(.rename) { try await base.renameEvalRun(id: id, to: name, at: timestamp, in: table) }
    }

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion {
        let deletion = try await measure(.delete) {
            try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs)
        }
        metrics.idsRequested.increment(by: ids.count)
        metrics.rowsDeleted.increment(by: deletion.deletedCount)
        return deletion
    }

    public func ping() async throws {
        try await measure(.ping) { try await base.ping() }
    }

    public func shutdown() async { await base.shutdown() }

    /// Samples the pool of a pooled store into the connection gauges.
    public func samplePool() {
        guard let pooled = base as? any PoolStatisticsReporting else { return }
        let statistics = pooled.poolStatistics
        metrics.poolInUse.record(statistics.inUse)
        metrics.poolIdle.record(statistics.idle)
        metrics.poolWaiting.record(statistics.waiting)
    }

    private func measure<T>(_ operation: StoreOperation, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let result = try await body()
            metrics.record(operation, outcome: nil, since: start)
            return result
        } catch is CancellationError {
            // The caller went away: neither a success nor a backend error.
            metrics.recordCancelled(operation, since: start)
            throw CancellationError()
        } catch {
            let storageError = StorageError(error)
            metrics.record(operation, outcome: storageError.kind, since: start)
            throw storageError
        }
    }
}

/// The operations a store's metrics are labelled with.
public enum StoreOperation: String, Sendable, CaseIterable {
    case list, get, create, rename, delete, ping
}

/// A pooled store's connections right now.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections running a statement.
    public var inUse: Int
    /// Open connections waiting for work.
    public var idle: Int
    /// Callers waiting for a connection.
    public var waiting: Int

    /// Creates a snapshot.
    public init(inUse: Int, idle: Int, waiting: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
    }
}

/// A store with a connection pool reports its state for the pool gauges.
public protocol PoolStatisticsReporting: Sendable {
    /// The pool's state now.
    var poolStatistics: PoolStatistics { get }
}

/// Every metric handle of one database, created once.
struct StoreMetrics: Sendable {
    private struct OperationMetrics: Sendable {
        let duration: Timer
        let outcomes: [String: Counter]
        let errors: [StorageError.Kind: Counter]
    }

    private let operations: [StoreOperation: OperationMetrics]
    let idsRequested: Counter
    let rowsDeleted: Counter
    let poolInUse: Gauge
    let poolIdle: Gauge
    let poolWaiting: Gauge

    init(databaseID: String, adapter: String, factory: any MetricsFactory) {
        let base = [("db_id", databaseID), ("adapter", adapter)]
        var operations: [StoreOperation: OperationMetrics] = [:]
        for operation in StoreOperation.allCases {
            let labels = base + [("operation", operation.rawValue)]
            var outcomes: [String: Counter] = [:]
            for outcome in ["ok", "cancelled"] + StorageError.Kind.allCases.map(\.rawValue) {
                outcomes[outcome] = Counter(label: "evalgw_backend_requests_total", dimensions: labels + [("outcome", outcome)], factory: factory)
            }
            var errors: [StorageError.Kind: Counter] = [:]
            for kind in StorageError.Kind.allCases {
                errors[kind] = Counter(label: "evalgw_backend_errors_total", dimensions: labels + [("kind", kind.rawValue)], factory: factory)
            }
            operations[operation] = OperationMetrics(
                duration: Timer(label: "evalgw_backend_request_duration_seconds", dimensions: labels, factory: factory),
                outcomes: outcomes,
                errors: errors
            )
        }
        self.operations = operations
        idsRequested = Counter(label: "evalgw_backend_delete_ids_requested_total", dimensions: base, factory: factory)
        rowsDeleted = Counter(label: "evalgw_backend_rows_deleted_total", dimensions: base, factory: factory)
        poolInUse = Gauge(label: "evalgw_backend_pool_connections", dimensions: base + [("state", "in_use")], factory: factory)
        poolIdle = Gauge(label: "evalgw_backend_pool_connections", dimensions: base + [("state", "idle")], factory: factory)
        poolWaiting = Gauge(label: "evalgw_backend_pool_connections", dimensions: base + [("state", "waiting")], factory: factory)
    }

    func recordCancelled(_ operation: StoreOperation, since start: ContinuousClock.Instant) {
        guard let metrics = operations[operation] else { return }
        metrics.duration.record(duration: ContinuousClock.now - start)
        metrics.outcomes["cancelled"]?.increment()
    }

    func record(_ operation: StoreOperation, outcome: StorageError.Kind?, since start: ContinuousClock.Instant) {
        guard let metrics = operations[operation] else { return }
        metrics.duration.record(duration: ContinuousClock.now - start)
        metrics.outcomes[outcome?.rawValue ?? "ok"]?.increment()
        if let outcome { metrics.errors[outcome]?.increment() }
    }
}
