/// One record of the audit trail: a delete that committed, written by the store in the same transaction
/// as the delete, so that the record exists if and only if the delete committed.
///
/// Every delete writes one: a delete by ids, each batch of a delete by filter, each batch of a retention
/// sweep, each database of a fan-out, and a batch-evaluation job's delete. A delete that removed no row
/// is recorded too.
public struct AuditRecord: Sendable, Equatable {
    /// A unique id, ordered by time (a UUIDv7-like string).
    public var id: String
    /// When the delete ran, epoch milliseconds.
    public var at: Int64
    /// Who asked: the token's or access key's name, `open` on a gateway without tokens, or `retention`
    /// for the retention sweeper.
    public var principal: String
    /// The request id (the `X-Request-Id` of the response and the log line), or the sweep's id.
    public var requestID: String?
    /// The database.
    public var databaseID: String
    /// The eval-runs table; `nil` for a batch-evaluation job.
    public var table: String?
    /// What kind of delete.
    public var kind: AuditKind
    /// The number of distinct ids in ``idsSHA256``: the ids asked for (a delete by ids), the ids removed
    /// (a delete by filter, a retention batch), or the job's id.
    public var idsCount: Int
    /// SHA-256, in lower-case hex, of those ids sorted by their UTF-8 bytes, each followed by a NUL byte
    /// (`printf '%s\0' ID… | LC_ALL=C sort -zu | sha256sum`).
    public var idsSHA256: String
    /// The filter of a delete by filter or a retention batch, as JSON text; `nil` otherwise.
    public var filter: String?
    /// The exact number of rows (or jobs) removed.
    public var deleted: Int
    /// The ids themselves, sorted, when `audit.include_ids` is on; `nil` otherwise.
    public var ids: [String]?

    /// Creates a record.
    public init(
        id: String, at: Int64, principal: String, requestID: String?, databaseID: String, table: String?, kind: AuditKind,
        idsCount: Int, idsSHA256: String, filter: String? = nil, deleted: Int, ids: [String]? = nil
    ) {
        self.id = id
        self.at = at
        self.principal = principal
        self.requestID = requestID
        self.databaseID = databaseID
        self.table = table
        self.kind = kind
        self.idsCount = idsCount
        self.idsSHA256 = idsSHA256
        self.filter = filter
        self.deleted = deleted
        self.ids = ids
    }

    /// This record as written by a delete that removed `count` rows: what a delete by ids (whose ids were
    /// digested when the record was made) or a job's delete writes.
    public func deleting(_ count: Int) -> AuditRecord {
        var record = self
        record.deleted = count
        return record
    }

    /// This record as written by a delete that removed exactly the rows `removedIDs`: their number, their
    /// digest and — when the record keeps ids (``ids`` is not `nil`) — the ids. What a delete by filter
    /// and a retention batch write.
    public func deleting(ids removedIDs: [String]) -> AuditRecord {
        var record = self
        let digest = AuditDigest(removedIDs, keepingIDs: ids != nil)
        record.deleted = digest.count
        record.idsCount = digest.count
        record.idsSHA256 = digest.sha256
        record.ids = digest.ids
        return record
    }
}

/// The kinds of delete the audit trail records.
public enum AuditKind: String, Sendable, CaseIterable {
    /// `DELETE /eval-runs` with `eval_run_ids`.
    case ids
    /// `DELETE /eval-runs` with a `filter` (one record per batch).
    case filter
    /// A retention sweep (one record per batch).
    case retention
    /// `DeleteBatchEvaluation`.
    case batchEvaluation = "batch_evaluation"
}
