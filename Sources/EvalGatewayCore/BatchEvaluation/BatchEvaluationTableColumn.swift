/// The columns of the batch-evaluation jobs table as the SQL adapters read and write them.
public enum BatchEvaluationTableColumn: Int, TableColumns {
    case id, arn, name, description, status, evaluators, sessions, dataSourceConfig, results, errorDetails
    case createdAt, updatedAt, clientToken, parametersHash, evalRunsTable, leaseOwner, leaseExpiresAt

    public var name: String {
        switch self {
        case .id: "id"
        case .arn: "arn"
        case .name: "name"
        case .description: "description"
        case .status: "status"
        case .evaluators: "evaluators"
        case .sessions: "sessions"
        case .dataSourceConfig: "data_source_config"
        case .results: "results"
        case .errorDetails: "error_details"
        case .createdAt: "created_at"
        case .updatedAt: "updated_at"
        case .clientToken: "client_token"
        case .parametersHash: "parameters_hash"
        case .evalRunsTable: "eval_runs_table"
        case .leaseOwner: "lease_owner"
        case .leaseExpiresAt: "lease_expires_at"
        }
    }
}

/// The columns a job's state is read from (a statement that selects only these).
public enum BatchEvaluationStateColumn: Int, TableColumns {
    case status, leaseOwner, leaseExpiresAt, updatedAt

    public var name: String {
        switch self {
        case .status: "status"
        case .leaseOwner: "lease_owner"
        case .leaseExpiresAt: "lease_expires_at"
        case .updatedAt: "updated_at"
        }
    }
}
