public import EvalGatewayCore

extension AuditRecord {
    /// The audit record of a delete made outside a request — an adapter's own tests, a tool — with
    /// principal `test` in database `test`: `ids` digested for a delete by ids, none for a delete by filter.
    public static func forTests(ids: [String] = [], table: String? = nil, kind: AuditKind = .ids) -> AuditRecord {
        let context = AuditContext(principal: "test", requestID: nil)
        if kind == .ids || kind == .batchEvaluation {
            return context.record(databaseID: "test", table: table, kind: kind, digest: AuditDigest(ids))
        }
        return context.record(databaseID: "test", table: table ?? "", kind: kind, filter: EvalRunFilter(userID: "test"))
    }
}
