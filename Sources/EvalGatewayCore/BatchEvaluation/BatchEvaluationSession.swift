/// One session a batch evaluation scores: from `evaluationMetadata.sessionMetadata` (with what the
/// client recorded about it) or from `dataSourceConfig.cloudWatchLogs.filterConfig.sessionIds` (bare).
public struct BatchEvaluationSession: Sendable, Hashable, Codable {
    /// The session id.
    public var sessionID: String
    /// The test scenario the session belongs to, if given.
    public var testScenarioID: String?
    /// The `groundTruth` union as sent (`{"inline": {"assertions", "expectedTrajectory", "turns"}}`).
    public var groundTruth: JSONValue?
    /// The session's string metadata; evaluators read what the session actually did from it
    /// (for instance `actualToolNames`, `actualResponse`).
    public var metadata: [String: String]

    /// Creates a session.
    public init(sessionID: String, testScenarioID: String? = nil, groundTruth: JSONValue? = nil, metadata: [String: String] = [:]) {
        self.sessionID = sessionID
        self.testScenarioID = testScenarioID
        self.groundTruth = groundTruth
        self.metadata = metadata
    }

    /// The inline ground truth object, if any.
    public var inlineGroundTruth: JSONValue? { groundTruth?["inline"] }

    enum CodingKeys: String, CodingKey {
        case sessionID = "sessionId"
        case testScenarioID = "testScenarioId"
        case groundTruth
        case metadata
    }
}
