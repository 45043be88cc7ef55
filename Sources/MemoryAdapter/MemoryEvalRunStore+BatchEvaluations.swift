public import EvalGatewayCore

extension MemoryEvalRunStore: BatchEvaluationStoreProviding {
    /// The database's batch-evaluation jobs, in memory next to its eval runs.
    public var batchEvaluations: (any BatchEvaluationStore)? { jobs }
}
