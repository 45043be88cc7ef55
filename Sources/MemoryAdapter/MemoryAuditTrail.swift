import EvalGatewayCore
import Synchronization

/// A memory database's audit trail. A delete appends its record while it still holds the lock of the
/// rows it removed (this lock is taken last and never held while taking another), so a reader sees the
/// record exactly when it sees the rows gone.
final class MemoryAuditTrail: Sendable {
    private let records = Mutex<[AuditRecord]>([])

    func append(_ record: AuditRecord) {
        records.withLock { $0.append(record) }
    }

    func page(matching query: AuditQuery) -> AuditPage {
        let matching = records.withLock { $0.filter(query.matches) }.sorted(by: AuditQuery.isNewer)
        let start = min(query.offset, matching.count)
        return AuditPage(records: Array(matching[start..<min(matching.count, start + query.limit)]), totalCount: matching.count)
    }
}
