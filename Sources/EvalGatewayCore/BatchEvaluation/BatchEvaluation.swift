/// A batch-evaluation job (AgentCore `StartBatchEvaluation`), as every adapter stores it.
///
/// Timestamps are epoch **milliseconds** (AWS renders them with milliseconds). The job records the
/// eval-runs table its runner writes into, so the runner needs nothing but the job and its database.
public struct BatchEvaluation: Sendable, Hashable {
    /// The id, `<name>-<10 alphanumerics>`.
    public var id: String
    /// `arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>`.
    public var arn: String
    /// The name, unique within the database.
    public var name: String
    /// The description, if given.
    public var description: String?
    /// The current state.
    public var status: BatchEvaluationStatus
    /// The evaluator ids, in the request's order.
    public var evaluatorIDs: [String]
    /// The sessions to score, in order (metadata sessions first, then bare filter ids), without repeats.
    public var sessions: [BatchEvaluationSession]
    /// The request's `dataSourceConfig`, kept as sent so Get can echo it.
    public var dataSourceConfig: JSONValue
    /// Counters and per-evaluator summaries.
    public var results: BatchEvaluationResults
    /// Why the job failed, if it did (at most one entry, as in the AWS shape).
    public var errorDetails: [String]
    /// Creation time, epoch milliseconds.
    public var createdAt: Int64
    /// Last change, epoch milliseconds.
    public var updatedAt: Int64
    /// The client's idempotency token, if any.
    public var clientToken: String?
    /// A hash of the request parameters, compared when the same `clientToken` comes again.
    public var parametersHash: String
    /// The eval-runs table of the job's database the runner writes into.
    public var evalRunsTable: String
    /// The runner holding the job, if any.
    public var leaseOwner: String?
    /// When that runner's hold ends unless renewed, epoch milliseconds.
    public var leaseExpiresAt: Int64?

    /// Creates a job record.
    public init(
        id: String,
        arn: String,
        name: String,
        description: String? = nil,
        status: BatchEvaluationStatus = .pending,
        evaluatorIDs: [String],
        sessions: [BatchEvaluationSession],
        dataSourceConfig: JSONValue,
        results: BatchEvaluationResults? = nil,
        errorDetails: [String] = [],
        createdAt: Int64,
        updatedAt: Int64? = nil,
        clientToken: String? = nil,
        parametersHash: String,
        evalRunsTable: String,
        leaseOwner: String? = nil,
        leaseExpiresAt: Int64? = nil
    ) {
        self.id = id
        self.arn = arn
        self.name = name
        self.description = description
        self.status = status
        self.evaluatorIDs = evaluatorIDs
        self.sessions = sessions
        self.dataSourceConfig = dataSourceConfig
        self.results = results ?? BatchEvaluationResults(totalNumberOfSessions: sessions.count, evaluatorIDs: evaluatorIDs)
        self.errorDetails = errorDetails
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.clientToken = clientToken
        self.parametersHash = parametersHash
        self.evalRunsTable = evalRunsTable
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
    }

    /// The position of this job in list order (newest first).
    public var cursor: BatchEvaluationCursor { BatchEvaluationCursor(createdAt: createdAt, id: id) }
}
