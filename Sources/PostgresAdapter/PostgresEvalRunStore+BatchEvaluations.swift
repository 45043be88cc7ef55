public import EvalGatewayCore

extension PostgresEvalRunStore: BatchEvaluationStoreProviding {
    /// The database's batch-evaluation jobs, in the store's schema next to its eval runs; `nil` when
    /// `create_tables` is off and the jobs table was missing when the store opened.
    public var batchEvaluations: (any BatchEvaluationStore)? { offersJobs.load(ordering: .relaxed) ? jobs : nil }
}
