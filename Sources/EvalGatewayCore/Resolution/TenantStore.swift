public import CoreMetrics
import Synchronization

/// The store the catalog hands out for one database: it forwards every operation to the adapter's store,
/// records the backend metrics, normalizes errors (anything that is not a ``StorageError`` leaves as
/// `.internal`), and owns the store's lifetime.
///
/// When a database is removed or replaced, the catalog drops its `TenantStore`; requests that resolved it
/// before keep it alive until they finish. When the last of them lets go, the store underneath is shut
/// down and the database's metric series are removed — so removal drains in-flight requests without
/// waiting on a timer, and a removed database costs nothing afterwards.
public final class TenantStore: EvalRunStore, BatchEvaluationStoreProviding, Sendable {
    /// The adapter's store underneath.
    public let base: any EvalRunStore
    private let metrics: StoreMetrics?
    private let ownsMetrics: Bool
    private let state = Mutex<(used: Bool, closed: Bool)>((false, false))

    /// Wraps `base`; with `metrics`, records into them, and with `ownsMetrics`, removes their series when
    /// the store goes.
    public init(_ base: any EvalRunStore, metrics: StoreMetrics? = nil, ownsMetrics: Bool = true) {
        self.base = base
        self.metrics = metrics
        self.ownsMetrics = ownsMetrics
    }

    /// Wraps `base` with metrics of its own, labelled with this database and adapter.
    public convenience init(_ base: any EvalRunStore, databaseID: String, adapter: String, factory: any MetricsFactory) {
        self.init(base, metrics: StoreMetrics(dimensions: [("db_id", databaseID), ("adapter", adapter)], factory: factory))
    }

    deinit {
        if ownsMetrics { metrics?.destroy() }
        let wasClosed = state.withLock { $0.closed }
        guard !wasClosed else { return }
        let base = base
        Task { await base.shutdown() }
    }

    /// Whether any operation has run on this store (an untouched database is not sampled or pinged).
    public var hasBeenUsed: Bool { state.withLock { $0.used } }

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

    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
        let deletion = try await measure(.delete) {
            try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs, audit: audit)
        }
        metrics?.recordDelete(idsRequested: ids.count, rowsDeleted: deletion.deletedCount)
        return deletion
    }

    public func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
        let deletion = try await measure(.deleteByFilter) {
            try await base.deleteEvalRuns(matching: filter, in: table, limit: limit, audit: audit)
        }
        metrics?.recordDelete(idsRequested: 0, rowsDeleted: deletion.deletedCount)
        return deletion
    }

    public func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
        try await measure(.count) { try await base.countEvalRuns(matching: filter, in: table) }
    }

    public func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
        try await measure(.audit) { try await base.auditRecords(matching: query) }
    }

    public func ping() async throws {
        try await measure(.ping) { try await base.ping() }
    }

    public func shutdown() async {
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if first { await base.shutdown() }
    }

    /// The database's job store, kept alive by this store while a job operation runs.
    public var batchEvaluations: (any BatchEvaluationStore)? {
        guard let jobs = (base as? any BatchEvaluationStoreProviding)?.batchEvaluations else { return nil }
        return TenantJobStore(owner: self, base: jobs)
    }

    /// Samples the pool of a pooled store into the connection gauges, if the store has been used.
    public func samplePool() {
        guard let metrics, hasBeenUsed, let pooled = base as? any PoolStatisticsReporting else { return }
        metrics.record(pooled.poolStatistics)
    }

    func markUsed() {
        state.withLock { $0.used = true }
    }

    private func measure<T>(_ operation: StoreOperation, _ body: () async throws -> T) async throws -> T {
        markUsed()
        let start = ContinuousClock.now
        do {
            let result = try await body()
            metrics?.record(operation, outcome: nil, duration: ContinuousClock.now - start)
            return result
        } catch is CancellationError {
            // The caller went away: neither a success nor a backend error.
            metrics?.recordCancelled(operation, duration: ContinuousClock.now - start)
            throw CancellationError()
        } catch {
            let storageError = StorageError(error)
            metrics?.record(operation, outcome: storageError.kind, duration: ContinuousClock.now - start)
            throw storageError
        }
    }
}

/// A database's job store, holding its ``TenantStore`` so that the database stays open while a job
/// operation runs on it.
struct TenantJobStore: BatchEvaluationStore {
    let owner: TenantStore
    let base: any BatchEvaluationStore

    func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation {
        owner.markUsed()
        return try await base.createBatchEvaluation(job)
    }

    func batchEvaluation(id: String) async throws -> BatchEvaluation? {
        owner.markUsed()
        return try await base.batchEvaluation(id: id)
    }

    func batchEvaluationState(id: String) async throws -> BatchEvaluationState? {
        try await base.batchEvaluationState(id: id)
    }

    func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage {
        owner.markUsed()
        return try await base.listBatchEvaluations(limit: limit, after: cursor)
    }

    func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation {
        owner.markUsed()
        return try await base.stopBatchEvaluation(id: id, at: timestamp)
    }

    func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion {
        owner.markUsed()
        return try await base.deleteBatchEvaluation(id: id, audit: audit)
    }

    func claimBatchEvaluation(owner claimant: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation? {
        try await base.claimBatchEvaluation(owner: claimant, leaseExpiresAt: leaseExpiresAt, at: timestamp)
    }

    func updateBatchEvaluation(id: String, owner claimant: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState {
        try await base.updateBatchEvaluation(id: id, owner: claimant, update, at: timestamp)
    }
}
