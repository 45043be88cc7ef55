/// The part of a job a runner polls: its state and who holds it. Cheap to read, however many sessions
/// the job has.
public struct BatchEvaluationState: Sendable, Hashable {
    /// The job's state.
    public var status: BatchEvaluationStatus
    /// The runner holding the job, if any.
    public var leaseOwner: String?
    /// When that hold ends unless renewed, epoch milliseconds.
    public var leaseExpiresAt: Int64?
    /// Last change, epoch milliseconds.
    public var updatedAt: Int64

    /// Creates a state.
    public init(status: BatchEvaluationStatus, leaseOwner: String?, leaseExpiresAt: Int64?, updatedAt: Int64) {
        self.status = status
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.updatedAt = updatedAt
    }
}

extension BatchEvaluation {
    /// The job's state and lease.
    public var state: BatchEvaluationState {
        BatchEvaluationState(status: status, leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt, updatedAt: updatedAt)
    }
}
