/// What a list of eval runs asks for: filters, one page, one order.
public struct EvalRunQuery: Sendable, Equatable {
    /// Only runs of this agent.
    public var agentID: String?
    /// Only runs of this team.
    public var teamID: String?
    /// Only runs of this workflow.
    public var workflowID: String?
    /// Only runs of this model.
    public var modelID: String?
    /// Only runs of this kind of component (Agno's `type` filter).
    public var componentType: ComponentType?
    /// Only runs whose type is one of these (Agno's `eval_types`); `nil` = all.
    public var evalTypes: [EvalType]?
    /// Page size, at least 1.
    public var limit: Int
    /// Page number, from 1.
    public var page: Int
    /// The column to order by.
    public var sortBy: EvalRunColumn
    /// The direction of the order.
    public var sortOrder: SortOrder

    /// Creates a query; the defaults are Agno's (20 per page, page 1, newest first).
    public init(
        agentID: String? = nil,
        teamID: String? = nil,
        workflowID: String? = nil,
        modelID: String? = nil,
        componentType: ComponentType? = nil,
        evalTypes: [EvalType]? = nil,
        limit: Int = 20,
        page: Int = 1,
        sortBy: EvalRunColumn = .createdAt,
        sortOrder: SortOrder = .descending
    ) {
        self.agentID = agentID
        self.teamID = teamID
        self.workflowID = workflowID
        self.modelID = modelID
        self.componentType = componentType
        self.evalTypes = evalTypes
        self.limit = limit
        self.page = page
        self.sortBy = sortBy
        self.sortOrder = sortOrder
    }

    /// The number of rows before this page.
    public var offset: Int { (page - 1) * limit }
}

/// The kind of component a run evaluated: Agno's `type` filter keeps runs whose matching id is set.
public enum ComponentType: String, Sendable, CaseIterable {
    case agent, team, workflow
}

/// The direction of an order. Every adapter puts nulls first in ascending order and last in
/// descending order, and breaks ties by run id in the same direction.
public enum SortOrder: String, Sendable, CaseIterable {
    case ascending = "asc"
    case descending = "desc"
}

/// A column of the eval-runs table that a list can be ordered by.
public enum EvalRunColumn: String, Sendable, CaseIterable {
    case runID = "run_id"
    case evalType = "eval_type"
    case name
    case agentID = "agent_id"
    case teamID = "team_id"
    case workflowID = "workflow_id"
    case modelID = "model_id"
    case modelProvider = "model_provider"
    case evaluatedComponentName = "evaluated_component_name"
    case userID = "user_id"
    case createdAt = "created_at"
    case updatedAt = "updated_at"

    /// Parses a `sort_by` value; `id` is accepted as the wire name of `run_id`.
    public init?(sortKey: String) {
        if sortKey == "id" { self = .runID } else { self.init(rawValue: sortKey) }
    }
}

/// One page of eval runs and the total number of rows that match the filters.
public struct EvalRunPage: Sendable, Equatable {
    /// The runs of the page, in order.
    public var runs: [EvalRun]
    /// How many runs match the filters, over all pages.
    public var totalCount: Int

    /// Creates a page.
    public init(runs: [EvalRun], totalCount: Int) {
        self.runs = runs
        self.totalCount = totalCount
    }
}

/// The result of a bulk delete.
public struct EvalRunDeletion: Sendable, Equatable {
    /// The exact number of rows removed.
    public var deletedCount: Int
    /// The ids removed, each once and in no particular order, when the caller asked for them. (Not a
    /// `Set<String>`: that would merge ids that differ only in Unicode normalization.)
    public var removedIDs: [String]?

    /// Creates a result.
    public init(deletedCount: Int, removedIDs: [String]? = nil) {
        self.deletedCount = deletedCount
        self.removedIDs = removedIDs
    }
}
