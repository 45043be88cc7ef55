/// A runner's write to a job it holds: the results so far, optionally a final state, and the lease
/// renewal.
public struct BatchEvaluationUpdate: Sendable {
    /// The results to store.
    public var results: BatchEvaluationResults
    /// The final state, or `nil` to keep running. A job that became `STOPPING` meanwhile ends
    /// `STOPPED`, whatever is asked.
    public var finalStatus: BatchEvaluationStatus?
    /// Why the job failed (at most one entry).
    public var errorDetails: [String]
    /// The new end of the lease, epoch milliseconds (ignored when finishing: the lease is released).
    public var leaseExpiresAt: Int64

    /// Creates an update.
    public init(results: BatchEvaluationResults, finalStatus: BatchEvaluationStatus? = nil, errorDetails: [String] = [], leaseExpiresAt: Int64) {
        self.results = results
        self.finalStatus = finalStatus
        self.errorDetails = errorDetails
        self.leaseExpiresAt = leaseExpiresAt
    }
}
