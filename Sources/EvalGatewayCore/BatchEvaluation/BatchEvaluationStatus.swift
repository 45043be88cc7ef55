/// The state of a batch-evaluation job, as the AgentCore API names it.
///
/// A job starts `PENDING`; a runner moves it to `IN_PROGRESS` and ends it `COMPLETED`,
/// `COMPLETED_WITH_ERRORS` or `FAILED`. A stop request moves a pending or running job to `STOPPING`,
/// which its runner finishes as `STOPPED`. `DELETING` is part of the AWS vocabulary; this gateway
/// deletes in one atomic step and never stores it.
public enum BatchEvaluationStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending = "PENDING"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case completedWithErrors = "COMPLETED_WITH_ERRORS"
    case failed = "FAILED"
    case stopping = "STOPPING"
    case stopped = "STOPPED"
    case deleting = "DELETING"

    /// The states a job can be deleted in: it will never change again.
    public static let terminal: Set<BatchEvaluationStatus> = [.completed, .completedWithErrors, .failed, .stopped]

    /// The states a stop request applies to (a `STOPPING` job is stopped again, idempotently).
    public static let stoppable: Set<BatchEvaluationStatus> = [.pending, .inProgress, .stopping]

    /// The states a runner may claim a job in.
    public static let runnable: Set<BatchEvaluationStatus> = [.pending, .inProgress, .stopping]

    /// Whether the job is finished for good (deletable).
    public var isTerminal: Bool { Self.terminal.contains(self) }
}
