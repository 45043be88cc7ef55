/// The columns of an eval-runs table (Agno's schema) as the SQL adapters read and write them.
public enum EvalRunTableColumn: Int, TableColumns {
    case runID, agentID, modelID, modelProvider, teamID, workflowID, name, evaluatedComponentName, userID
    case evalType, evalData, evalInput, createdAt, updatedAt

    public var name: String {
        switch self {
        case .runID: "run_id"
        case .agentID: "agent_id"
        case .modelID: "model_id"
        case .modelProvider: "model_provider"
        case .teamID: "team_id"
        case .workflowID: "workflow_id"
        case .name: "name"
        case .evaluatedComponentName: "evaluated_component_name"
        case .userID: "user_id"
        case .evalType: "eval_type"
        case .evalData: "eval_data"
        case .evalInput: "eval_input"
        case .createdAt: "created_at"
        case .updatedAt: "updated_at"
        }
    }
}
