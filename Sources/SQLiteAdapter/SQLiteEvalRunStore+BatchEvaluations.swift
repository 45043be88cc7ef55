public import EvalGatewayCore

extension SQLiteEvalRunStore: BatchEvaluationStoreProviding {
    /// The database's batch-evaluation jobs, in the same file as its eval runs.
    public var batchEvaluations: (any BatchEvaluationStore)? { jobs }
}
