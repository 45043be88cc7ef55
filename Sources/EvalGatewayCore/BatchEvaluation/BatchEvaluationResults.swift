/// The progress and outcome of a job: the counters of AgentCore's `EvaluationJobResults`, one summary
/// per evaluator, and where the runner got to (so a job taken over from a crashed runner resumes).
public struct BatchEvaluationResults: Sendable, Hashable, Codable {
    /// The number of sessions the job scores.
    public var totalNumberOfSessions: Int
    /// Sessions for which at least one evaluator produced a score and none failed.
    public var numberOfSessionsCompleted: Int
    /// Sessions being worked on now (0 or 1: a runner scores one session at a time).
    public var numberOfSessionsInProgress: Int
    /// Sessions for which an evaluator failed (for example, its eval run could not be written).
    public var numberOfSessionsFailed: Int
    /// Sessions no evaluator could score (nothing to compare, or no local implementation).
    public var numberOfSessionsIgnored: Int
    /// One summary per evaluator of the job, in the job's order.
    public var evaluatorSummaries: [BatchEvaluatorSummary]
    /// How many sessions (in the job's order) are done; the runner resumes at this index.
    public var sessionsProcessed: Int

    /// Fresh results for a job of `sessions` sessions and these evaluators.
    public init(totalNumberOfSessions: Int, evaluatorIDs: [String]) {
        self.totalNumberOfSessions = totalNumberOfSessions
        self.numberOfSessionsCompleted = 0
        self.numberOfSessionsInProgress = 0
        self.numberOfSessionsFailed = 0
        self.numberOfSessionsIgnored = 0
        self.evaluatorSummaries = evaluatorIDs.map { BatchEvaluatorSummary(evaluatorID: $0) }
        self.sessionsProcessed = 0
    }
}

/// What one evaluator did over a job's sessions.
public struct BatchEvaluatorSummary: Sendable, Hashable, Codable {
    /// The evaluator id.
    public var evaluatorID: String
    /// Sessions it scored.
    public var totalEvaluated: Int
    /// Sessions it failed on.
    public var totalFailed: Int
    /// Sessions it had nothing to score in (not part of the AWS shape; kept for the eval runs).
    public var totalIgnored: Int
    /// The sum of its scores, for the average.
    public var scoreSum: Double

    /// An empty summary.
    public init(evaluatorID: String, totalEvaluated: Int = 0, totalFailed: Int = 0, totalIgnored: Int = 0, scoreSum: Double = 0) {
        self.evaluatorID = evaluatorID
        self.totalEvaluated = totalEvaluated
        self.totalFailed = totalFailed
        self.totalIgnored = totalIgnored
        self.scoreSum = scoreSum
    }

    /// The average score, or `nil` when nothing was scored (never an invented number).
    public var averageScore: Double? { totalEvaluated > 0 ? scoreSum / Double(totalEvaluated) : nil }

    enum CodingKeys: String, CodingKey {
        case evaluatorID = "evaluatorId"
        case totalEvaluated, totalFailed, totalIgnored, scoreSum
    }
}
