/// What a create did: the job, and whether it is new or the one an earlier request with the same
/// `clientToken` created.
public struct BatchEvaluationCreation: Sendable {
    /// The stored job.
    public var job: BatchEvaluation
    /// `false` when an earlier request with the same token and parameters created it.
    public var created: Bool

    /// Creates a result.
    public init(job: BatchEvaluation, created: Bool) {
        self.job = job
        self.created = created
    }
}
