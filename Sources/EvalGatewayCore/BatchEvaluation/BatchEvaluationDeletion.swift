/// A deleted job: its id and ARN, and the terminal state it was deleted in.
public struct BatchEvaluationDeletion: Sendable, Equatable {
    /// The job id.
    public var id: String
    /// The job ARN.
    public var arn: String
    /// The state the job was in when it was deleted (always terminal).
    public var status: BatchEvaluationStatus

    /// Creates a result.
    public init(id: String, arn: String, status: BatchEvaluationStatus) {
        self.id = id
        self.arn = arn
        self.status = status
    }
}
