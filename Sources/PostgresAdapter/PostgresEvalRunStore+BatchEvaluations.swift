public import EvalGatewayCore

extension PostgresEvalRunStore: BatchEvaluationStoreProviding {
    /// The database's batch-evaluation jobs, in the store's schema next to its eval runs; `nil` once a
    /// job operation has found the jobs table missing with `create_tables` off.
    public var batchEvaluations: (any BatchEvaluationStore)? { jobs.isOffered ? jobs : nil }
}
