/// What a read of the audit trail asks for: filters, and one page, newest first.
public struct AuditQuery: Sendable, Equatable {
    /// Only records at or after this time, epoch milliseconds.
    public var since: Int64?
    /// Only records before this time, epoch milliseconds.
    public var until: Int64?
    /// Only records of this principal (compared byte for byte).
    public var principal: String?
    /// Only records of this kind.
    public var kind: AuditKind?
    /// Page size, at least 1.
    public var limit: Int
    /// Records skipped before the page.
    public var offset: Int

    /// Creates a query; by default the 20 newest records.
    public init(since: Int64? = nil, until: Int64? = nil, principal: String? = nil, kind: AuditKind? = nil, limit: Int = 20, offset: Int = 0) {
        self.since = since
        self.until = until
        self.principal = principal
        self.kind = kind
        self.limit = limit
        self.offset = offset
    }

    /// Whether `record` passes the filters.
    public func matches(_ record: AuditRecord) -> Bool {
        if let since, record.at < since { return false }
        if let until, record.at >= until { return false }
        if let principal, !record.principal.isBytewiseEqual(to: principal) { return false }
        if let kind, record.kind != kind { return false }
        return true
    }

    /// The order of the trail: newest first (`at` descending, then `id` descending).
    public static func isNewer(_ a: AuditRecord, than b: AuditRecord) -> Bool {
        if a.at != b.at { return a.at > b.at }
        return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
    }
}

/// One page of audit records and the number of records matching the filters.
public struct AuditPage: Sendable, Equatable {
    /// The records, newest first.
    public var records: [AuditRecord]
    /// How many records match the filters, over all pages.
    public var totalCount: Int

    /// Creates a page.
    public init(records: [AuditRecord], totalCount: Int) {
        self.records = records
        self.totalCount = totalCount
    }
}
