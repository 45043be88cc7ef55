/// A store (an ``EvalRunStore``) that also keeps batch-evaluation jobs for its database.
///
/// Adapters opt in by conforming their eval-runs store; decorators (``TenantStore``)
/// forward it. A database whose store does not conform cannot run batch evaluations.
public protocol BatchEvaluationStoreProviding: Sendable {
    /// The database's job store, or `nil` if this store keeps none.
    var batchEvaluations: (any BatchEvaluationStore)? { get }
}

extension RegisteredDatabase {
    /// The database's job store, if its adapter keeps jobs.
    public var batchEvaluations: (any BatchEvaluationStore)? {
        (store as? any BatchEvaluationStoreProviding)?.batchEvaluations
    }
}
