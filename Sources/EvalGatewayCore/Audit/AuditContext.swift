import Synchronization

/// Who is deleting, for the audit records of one request or one retention sweep: the principal, the
/// request id, whether records keep the ids, and the wall clock that stamps them.
public struct AuditContext: Sendable {
    /// The principal recorded for a gateway without tokens.
    public static let openPrincipal = "open"
    /// The principal recorded for the retention sweeper.
    public static let retentionPrincipal = "retention"

    /// The token's or access key's name, ``openPrincipal`` or ``retentionPrincipal``.
    public var principal: String
    /// The request id, or the sweep's id.
    public var requestID: String?
    /// Whether records keep the ids themselves (`audit.include_ids`).
    public var includeIDs: Bool
    /// The wall clock, epoch milliseconds.
    public var now: @Sendable () -> Int64

    /// A context for `principal`.
    public init(principal: String, requestID: String?, includeIDs: Bool = false, now: @escaping @Sendable () -> Int64 = Timestamp.nowMilliseconds) {
        self.principal = principal
        self.requestID = requestID
        self.includeIDs = includeIDs
        self.now = now
    }

    /// The record of a delete by ids (or of a job), its ids already digested; the store sets `deleted`
    /// (``AuditRecord/deleting(_:)``).
    public func record(databaseID: String, table: String?, kind: AuditKind, digest: AuditDigest) -> AuditRecord {
        let at = now()
        return AuditRecord(
            id: AuditRecordID.make(at: at), at: at, principal: principal, requestID: requestID, databaseID: databaseID, table: table,
            kind: kind, idsCount: digest.count, idsSHA256: digest.sha256, filter: nil, deleted: 0, ids: includeIDs ? (digest.ids ?? []) : nil
        )
    }

    /// The record of one batch of a delete by filter (or a retention batch); the store sets what the
    /// batch removed (``AuditRecord/deleting(ids:)``).
    public func record(databaseID: String, table: String, kind: AuditKind, filter: EvalRunFilter) -> AuditRecord {
        let at = now()
        return AuditRecord(
            id: AuditRecordID.make(at: at), at: at, principal: principal, requestID: requestID, databaseID: databaseID, table: table,
            kind: kind, idsCount: 0, idsSHA256: AuditDigest.empty.sha256, filter: filter.jsonText, deleted: 0, ids: includeIDs ? [] : nil
        )
    }
}

/// Audit record ids: 48 bits of epoch milliseconds, a 26-bit sequence, then 48 random bits, as a UUID
/// string (the layout of a version 7 UUID, with RFC 9562's counter in place of the first random bits), so
/// that ids sort by time — and the records one gateway makes within the same millisecond sort in the
/// order they were made. The random bits keep two gateways' ids apart.
public enum AuditRecordID {
    /// The sequence, one step per id made by this process (it wraps after 2^26 ids).
    private static let sequence = Atomic<UInt32>(0)

    /// A new id for a record made at `at` (epoch milliseconds).
    public static func make(at: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = UInt64(max(0, at))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (40 - 8 * UInt64(index))) }
        let step = sequence.wrappingAdd(1, ordering: .relaxed).newValue & 0x03FF_FFFF
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: step >> 22)
        bytes[7] = UInt8(truncatingIfNeeded: step >> 14)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: step >> 8) & 0x3F
        bytes[9] = UInt8(truncatingIfNeeded: step)
        // One draw for the six random bytes: each draw from the system generator is a system call.
        let random = generator.next()
        for index in 10..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(index - 10))) }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
