extension InstrumentedEvalRunStore: BatchEvaluationStoreProviding {
    /// The wrapped store's job store, forwarded unchanged.
    public var batchEvaluations: (any BatchEvaluationStore)? {
        (base as? any BatchEvaluationStoreProviding)?.batchEvaluations
    }
}
