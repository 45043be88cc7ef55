/// The columns of the audit trail's table (`evalgw_audit`) as the SQL adapters read and write them.
public enum AuditTableColumn: Int, TableColumns {
    case id, at, principal, requestID, databaseID, table, kind, idsCount, idsSHA256, filter, deleted, ids

    public var name: String {
        switch self {
        case .id: "id"
        case .at: "at"
        case .principal: "principal"
        case .requestID: "request_id"
        case .databaseID: "db_id"
        case .table: "table_name"
        case .kind: "kind"
        case .idsCount: "ids_count"
        case .idsSHA256: "ids_sha256"
        case .filter: "filter"
        case .deleted: "deleted"
        case .ids: "ids"
        }
    }
}
