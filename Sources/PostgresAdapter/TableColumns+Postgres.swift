import EvalGatewayCore

/// JSON columns are read as text, so that `json` and `jsonb` columns (an existing Agno table may have
/// either) read the same way.
extension EvalRunTableColumn: PostgresColumns {
    var selected: String {
        switch self {
        case .evalData, .evalInput: "\(name)::text AS \(name)"
        default: name
        }
    }
}

/// The filter and the ids are JSON, read as text.
extension AuditTableColumn: PostgresColumns {
    var selected: String {
        switch self {
        case .filter, .ids: "\(name)::text"
        default: name
        }
    }
}

extension BatchEvaluationTableColumn: PostgresColumns {}

extension BatchEvaluationStateColumn: PostgresColumns {}
