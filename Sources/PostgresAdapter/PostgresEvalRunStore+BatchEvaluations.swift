public import EvalGatewayCore

extension PostgresEvalRunStore: BatchEvaluationStoreProviding {
    /// The database's batch-evaluation jobs, in the store's schema next to its eval runs.
    public var batchEvaluations: (any BatchEvaluationStore)? { jobs }
}
