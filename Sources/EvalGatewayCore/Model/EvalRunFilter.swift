/// The rows a delete by filter (or a retention sweep) removes: every run that meets all the conditions
/// given. Text compares byte for byte, as everywhere in the storage contract.
///
/// A filter without any condition matches everything, and is refused: nothing ever deletes a whole
/// table by accident.
public struct EvalRunFilter: Sendable, Equatable {
    /// Only runs of this user.
    public var userID: String?
    /// Only runs of this agent.
    public var agentID: String?
    /// Only runs of this team.
    public var teamID: String?
    /// Only runs of this workflow.
    public var workflowID: String?
    /// Only runs of this model.
    public var modelID: String?
    /// Only runs whose type is one of these.
    public var evalTypes: [EvalType]?
    /// Only runs created before this time (exclusive), epoch seconds.
    public var createdBefore: Int64?
    /// Only runs created at or after this time (inclusive), epoch seconds.
    public var createdAfter: Int64?

    /// Creates a filter.
    public init(
        userID: String? = nil, agentID: String? = nil, teamID: String? = nil, workflowID: String? = nil, modelID: String? = nil,
        evalTypes: [EvalType]? = nil, createdBefore: Int64? = nil, createdAfter: Int64? = nil
    ) {
        self.userID = userID
        self.agentID = agentID
        self.teamID = teamID
        self.workflowID = workflowID
        self.modelID = modelID
        self.evalTypes = evalTypes
        self.createdBefore = createdBefore
        self.createdAfter = createdAfter
    }

    /// Whether the filter has no condition (and would match every row).
    public var isEmpty: Bool {
        userID == nil && agentID == nil && teamID == nil && workflowID == nil && modelID == nil && evalTypes == nil
            && createdBefore == nil && createdAfter == nil
    }

    /// The text conditions, as `(column, value)` pairs in a fixed order.
    public var textConditions: [(column: String, value: String)] {
        [("user_id", userID), ("agent_id", agentID), ("team_id", teamID), ("workflow_id", workflowID), ("model_id", modelID)]
            .compactMap { column, value in value.map { (column, $0) } }
    }

    /// Whether `run` meets every condition.
    public func matches(_ run: EvalRun) -> Bool {
        if let userID, !run.userID.isBytewiseEqual(to: userID) { return false }
        if let agentID, !run.agentID.isBytewiseEqual(to: agentID) { return false }
        if let teamID, !run.teamID.isBytewiseEqual(to: teamID) { return false }
        if let workflowID, !run.workflowID.isBytewiseEqual(to: workflowID) { return false }
        if let modelID, !run.modelID.isBytewiseEqual(to: modelID) { return false }
        if let evalTypes, !evalTypes.contains(where: { $0.rawValue.isBytewiseEqual(to: run.evalType.rawValue) }) { return false }
        if let createdBefore, run.createdAt >= createdBefore { return false }
        if let createdAfter, run.createdAt < createdAfter { return false }
        return true
    }

    /// Checks the filter as every store does before it runs: at least one condition, no NUL characters.
    public func validate() throws(StorageError) {
        if isEmpty { throw .invalid("A delete by filter needs at least one condition") }
        for (column, value) in textConditions { try StoredText.validate(value, field: "filter.\(column)") }
        for type in evalTypes ?? [] { try StoredText.validate(type.rawValue, field: "filter.eval_types") }
    }

    /// The filter as the JSON an audit record keeps: the keys of the request body, in a fixed order,
    /// times in ISO 8601.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.beginObject()
        for (column, value) in textConditions {
            writer.key(column); writer.write(value)
        }
        if let evalTypes { writer.key("eval_types"); writer.write(strings: evalTypes.map(\.rawValue)) }
        if let createdBefore { writer.key("created_before"); writer.write(Timestamp.iso8601(createdBefore)) }
        if let createdAfter { writer.key("created_after"); writer.write(Timestamp.iso8601(createdAfter)) }
        writer.endObject()
        return writer.text
    }
}

/// The result of one batch of a delete by filter.
public struct EvalRunBatchDeletion: Sendable, Equatable {
    /// The exact number of rows the batch removed.
    public var deletedCount: Int
    /// Whether rows matching the filter remain after the batch (another batch would remove some).
    public var hasMore: Bool

    /// Creates a result.
    public init(deletedCount: Int, hasMore: Bool) {
        self.deletedCount = deletedCount
        self.hasMore = hasMore
    }
}
