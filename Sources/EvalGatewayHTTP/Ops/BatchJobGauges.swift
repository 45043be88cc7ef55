import CoreMetrics
import EvalGatewayCore

/// `evalgw_batch_jobs{db_id, adapter, status}`: the number of batch-evaluation jobs in each status, per
/// database that stores jobs. Sampled when `/metrics` is scraped (jobs live in the backends, so any
/// gateway reports the same), reading at most ``scanLimit`` jobs per database to bound a scrape's cost.
struct BatchJobGauges: Sendable {
    let catalog: DatabaseCatalog
    let factory: any MetricsFactory

    /// The most jobs read per database in one scrape.
    static let scanLimit = 10_000

    /// Counts the jobs of every database in use by status and records the gauges (a database nothing has
    /// used since start is not opened for it). A database that cannot be read keeps its previous values.
    func sample() async {
        for database in catalog.databases where (database.store as? TenantStore)?.hasBeenUsed ?? true {
            guard let jobs = database.batchEvaluations else { continue }
            var counts: [BatchEvaluationStatus: Int] = [:]
            var cursor: BatchEvaluationCursor?
            var scanned = 0
            do {
                repeat {
                    let page = try await jobs.listBatchEvaluations(limit: 100, after: cursor)
                    for job in page.jobs { counts[job.status, default: 0] += 1 }
                    scanned += page.jobs.count
                    cursor = page.next
                } while cursor != nil && scanned < Self.scanLimit
            } catch {
                continue
            }
            for status in BatchEvaluationStatus.allCases {
                Gauge(
                    label: "evalgw_batch_jobs",
                    dimensions: [("db_id", database.id), ("adapter", database.adapter), ("status", status.rawValue)],
                    factory: factory
                ).record(counts[status, default: 0])
            }
        }
    }
}
