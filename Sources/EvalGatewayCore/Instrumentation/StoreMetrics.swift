public import CoreMetrics
import Metrics
import Synchronization

/// The backend metrics of one database (or, with `metrics.per_database: false`, of every database of
/// one adapter kind): requests by operation and outcome, a latency histogram, errors by kind, ids
/// requested and rows removed by deletes, and connection-pool gauges.
///
/// A series is created the first time it is recorded, not up front: an idle database has none, and a
/// busy one only those of the operations and outcomes it has seen. ``destroy()`` removes them all, when
/// the database is removed from the gateway.
///
/// Label values come only from configuration (`db_id`, `adapter`) and fixed sets (operation, outcome,
/// error kind), so no request can create a series of its own.
public final class StoreMetrics: Sendable {
    private struct Key: Hashable {
        let label: String
        let extra: [String]
    }

    private enum Handle {
        case counter(Counter)
        case timer(Timer)
        case gauge(Gauge)
    }

    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory
    private let handles = Mutex<[Key: Handle]>([:])

    /// Metrics labelled with `dimensions` (`db_id` and `adapter`, or only `adapter`), recorded into
    /// `factory`.
    public init(dimensions: [(String, String)], factory: any MetricsFactory) {
        self.dimensions = dimensions
        self.factory = factory
    }

    /// Records one operation: its outcome (`nil` = ok) and its duration.
    public func record(_ operation: StoreOperation, outcome: StorageError.Kind?, duration: Duration) {
        let name = operation.rawValue
        timer("evalgw_backend_request_duration_seconds", ["operation", name]).record(duration: duration)
        counter("evalgw_backend_requests_total", ["operation", name, "outcome", outcome?.rawValue ?? "ok"]).increment()
        if let outcome {
            counter("evalgw_backend_errors_total", ["operation", name, "kind", outcome.rawValue]).increment()
        }
    }

    /// Records an operation whose caller went away before it finished (`outcome="cancelled"`).
    public func recordCancelled(_ operation: StoreOperation, duration: Duration) {
        timer("evalgw_backend_request_duration_seconds", ["operation", operation.rawValue]).record(duration: duration)
        counter("evalgw_backend_requests_total", ["operation", operation.rawValue, "outcome", "cancelled"]).increment()
    }

    /// Records a delete's size: the ids asked for and the rows removed.
    public func recordDelete(idsRequested: Int, rowsDeleted: Int) {
        if idsRequested > 0 { counter("evalgw_backend_delete_ids_requested_total", []).increment(by: idsRequested) }
        counter("evalgw_backend_rows_deleted_total", []).increment(by: rowsDeleted)
    }

    /// Records a pool's state into the connection gauges.
    public func record(_ statistics: PoolStatistics) {
        gauge("evalgw_backend_pool_connections", ["state", "in_use"]).record(statistics.inUse)
        gauge("evalgw_backend_pool_connections", ["state", "idle"]).record(statistics.idle)
        gauge("evalgw_backend_pool_connections", ["state", "waiting"]).record(statistics.waiting)
    }

    /// The number of series created so far.
    public var seriesCount: Int { handles.withLock { $0.count } }

    /// Removes every series this object created.
    public func destroy() {
        let all = handles.withLock { handles in
            defer { handles.removeAll() }
            return Array(handles.values)
        }
        for handle in all {
            switch handle {
            case .counter(let counter): counter.destroy()
            case .timer(let timer): timer.destroy()
            case .gauge(let gauge): gauge.destroy()
            }
        }
    }

    // MARK: - Series, made on first use

    private func labels(_ extra: [String]) -> [(String, String)] {
        var labels = dimensions
        var index = 0
        while index + 1 < extra.count {
            labels.append((extra[index], extra[index + 1]))
            index += 2
        }
        return labels
    }

    private func handle(_ label: String, _ extra: [String], make: () -> Handle) -> Handle {
        let key = Key(label: label, extra: extra)
        if let found = handles.withLock({ $0[key] }) { return found }
        let made = make()
        return handles.withLock { handles in
            if let raced = handles[key] { return raced }
            handles[key] = made
            return made
        }
    }

    private func counter(_ label: String, _ extra: [String]) -> Counter {
        guard case .counter(let counter) = handle(label, extra, make: { .counter(Counter(label: label, dimensions: labels(extra), factory: factory)) }) else {
            preconditionFailure("\(label) is a counter")
        }
        return counter
    }

    private func timer(_ label: String, _ extra: [String]) -> Timer {
        guard case .timer(let timer) = handle(label, extra, make: { .timer(Timer(label: label, dimensions: labels(extra), factory: factory)) }) else {
            preconditionFailure("\(label) is a timer")
        }
        return timer
    }

    private func gauge(_ label: String, _ extra: [String]) -> Gauge {
        guard case .gauge(let gauge) = handle(label, extra, make: { .gauge(Gauge(label: label, dimensions: labels(extra), factory: factory)) }) else {
            preconditionFailure("\(label) is a gauge")
        }
        return gauge
    }
}

/// The operations a store's metrics are labelled with.
public enum StoreOperation: String, Sendable, CaseIterable {
    case list, get, create, rename, delete, ping
    /// One batch of a delete by filter or of a retention sweep.
    case deleteByFilter = "delete_by_filter"
    /// A count of the runs a filter matches (a dry run).
    case count
    /// A read of the audit trail.
    case audit
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

/// Hands out the ``StoreMetrics`` of each database: its own (`metrics.per_database: true`, the default),
/// or one shared by every database of the same adapter kind, labelled by `adapter` only, for fleets
/// where a series per database is too many.
public final class StoreMetricsProvider: Sendable {
    /// Whether each database has series of its own.
    public let perDatabase: Bool
    private let factory: any MetricsFactory
    private let shared = Mutex<[String: StoreMetrics]>([:])

    /// A provider recording into `factory`.
    public init(factory: any MetricsFactory, perDatabase: Bool = true) {
        self.factory = factory
        self.perDatabase = perDatabase
    }

    /// The metrics of database `id` of kind `adapter`, and whether they are its own (to destroy when
    /// the database goes).
    public func metrics(databaseID id: String, adapter: String) -> (metrics: StoreMetrics, owned: Bool) {
        guard !perDatabase else {
            return (StoreMetrics(dimensions: [("db_id", id), ("adapter", adapter)], factory: factory), true)
        }
        let metrics = shared.withLock { shared in
            if let found = shared[adapter] { return found }
            let made = StoreMetrics(dimensions: [("adapter", adapter)], factory: factory)
            shared[adapter] = made
            return made
        }
        return (metrics, false)
    }
}
