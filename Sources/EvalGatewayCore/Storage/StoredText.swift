/// The rule every adapter applies to text it is asked to store or match: no NUL characters (Postgres
/// `text` cannot hold them, and C APIs would cut at them), so every backend refuses them alike.
public enum StoredText {
    /// Throws ``StorageError/invalid(_:)`` if `value` contains a NUL character.
    public static func validate(_ value: String?, field: String) throws(StorageError) {
        if let value, value.utf8.contains(0) {
            throw .invalid("\(field) must not contain NUL characters")
        }
    }

    /// Checks every text field of a run.
    public static func validate(_ run: EvalRun) throws(StorageError) {
        try validate(run.id, field: "id")
        for (field, value) in [
            ("agent_id", run.agentID), ("model_id", run.modelID), ("model_provider", run.modelProvider),
            ("team_id", run.teamID), ("workflow_id", run.workflowID), ("name", run.name),
            ("evaluated_component_name", run.evaluatedComponentName), ("user_id", run.userID),
            ("eval_type", run.evalType.rawValue),
        ] {
            try validate(value, field: field)
        }
    }

    /// Checks a list of ids.
    public static func validate(ids: [String]) throws(StorageError) {
        for id in ids where id.utf8.withContiguousStorageIfAvailable({ $0.contains(0) }) ?? id.utf8.contains(0) {
            throw .invalid("eval_run_ids must not contain NUL characters")
        }
    }
}
