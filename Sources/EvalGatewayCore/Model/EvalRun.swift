/// One evaluation run, as Agno stores it in `agno_eval_runs` and serves it from `/eval-runs`.
///
/// Timestamps are epoch seconds, exactly as Agno stores them (`created_at`, `updated_at` are `bigint`).
/// `eval_data` and `eval_input` are JSON text kept as the client sent it. Equality compares strings by
/// canonical equivalence (Swift's `==`); the storage contract compares ids by bytes
/// (``BytewiseString``).
public struct EvalRun: Sendable, Equatable {
    /// The run id (`run_id` in storage, `id` on the wire).
    public var id: String
    /// The agent the run evaluated, if any.
    public var agentID: String?
    /// The model used by the evaluated component.
    public var modelID: String?
    /// The provider of that model.
    public var modelProvider: String?
    /// The team the run evaluated, if any.
    public var teamID: String?
    /// The workflow the run evaluated, if any.
    public var workflowID: String?
    /// A human name for the run.
    public var name: String?
    /// The name of the evaluated agent, team or workflow.
    public var evaluatedComponentName: String?
    /// The user who ran the evaluation.
    public var userID: String?
    /// The kind of evaluation.
    public var evalType: EvalType
    /// The evaluation's results (a JSON object), as the client wrote it.
    public var evalData: JSONText
    /// The evaluation's input (a JSON object), as the client wrote it.
    public var evalInput: JSONText
    /// Creation time, epoch seconds.
    public var createdAt: Int64
    /// Last update time, epoch seconds.
    public var updatedAt: Int64?

    /// Creates a run record.
    public init(
        id: String,
        agentID: String? = nil,
        modelID: String? = nil,
        modelProvider: String? = nil,
        teamID: String? = nil,
        workflowID: String? = nil,
        name: String? = nil,
        evaluatedComponentName: String? = nil,
        userID: String? = nil,
        evalType: EvalType,
        evalData: JSONText = .emptyObject,
        evalInput: JSONText = .emptyObject,
        createdAt: Int64,
        updatedAt: Int64? = nil
    ) {
        self.id = id
        self.agentID = agentID
        self.modelID = modelID
        self.modelProvider = modelProvider
        self.teamID = teamID
        self.workflowID = workflowID
        self.name = name
        self.evaluatedComponentName = evaluatedComponentName
        self.userID = userID
        self.evalType = evalType
        self.evalData = evalData
        self.evalInput = evalInput
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The kind of an evaluation run.
///
/// Agno knows four kinds; a value read from an existing database that is none of them is kept as it is
/// rather than dropped, so that serving an Agno database never loses a row.
public struct EvalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored string.
    public let rawValue: String
    /// Wraps a stored string.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Accuracy evaluations.
    public static let accuracy = EvalType(rawValue: "accuracy")
    /// LLM-as-judge evaluations.
    public static let agentAsJudge = EvalType(rawValue: "agent_as_judge")
    /// Performance evaluations.
    public static let performance = EvalType(rawValue: "performance")
    /// Reliability evaluations.
    public static let reliability = EvalType(rawValue: "reliability")

    /// The kinds a client may create or filter by.
    public static let known: [EvalType] = [.accuracy, .agentAsJudge, .performance, .reliability]

    /// Whether this is one of the four kinds Agno defines.
    public var isKnown: Bool { Self.known.contains(self) }

    public var description: String { rawValue }
}
