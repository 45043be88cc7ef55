import EvalGatewayCore

/// The eval run a batch evaluation writes for one (session, evaluator) pair, in Agno's schema.
///
/// `eval_data` links it to the job (`batch_evaluation_id`, `_arn`, `_name`) and holds the outcome:
/// `status` (`SCORED`, `IGNORED`, `ERROR`), `score` and `passed` when scored, `explanation`, `details`.
/// `eval_input` holds the session as sent (id, ground truth, metadata). The id is derived from the job,
/// session and evaluator positions, so a runner resuming a job finds what was already written.
enum BatchEvaluationEvalRun {
    /// `<job id>-<session index>-<evaluator index>`.
    static func id(jobID: String, session: Int, evaluator: Int) -> String { "\(jobID)-\(session)-\(evaluator)" }

    static func make(
        id: String, job: BatchEvaluation, session: BatchEvaluationSession, evaluatorID: String, evalType: EvalType,
        evaluation: Result<SessionEvaluation, any Error>, at timestamp: Int64
    ) -> EvalRun {
        var data: [String: JSONValue] = [
            "batch_evaluation_id": .string(job.id),
            "batch_evaluation_arn": .string(job.arn),
            "batch_evaluation_name": .string(job.name),
            "session_id": .string(session.sessionID),
            "evaluator_id": .string(evaluatorID),
        ]
        if let scenario = session.testScenarioID { data["test_scenario_id"] = .string(scenario) }
        switch evaluation {
        case .success(.scored(let score, let passed, let explanation, let details)):
            data["status"] = .string("SCORED")
            data["score"] = .number(score)
            data["passed"] = .bool(passed)
            data["explanation"] = .string(explanation)
            data["details"] = details
        case .success(.ignored(let reason)):
            data["status"] = .string("IGNORED")
            data["explanation"] = .string(reason)
        case .failure(let error):
            data["status"] = .string("ERROR")
            data["explanation"] = .string("Evaluator '\(evaluatorID)' failed: \(error)")
        }
        var input: [String: JSONValue] = ["session_id": .string(session.sessionID)]
        if let truth = session.groundTruth { input["ground_truth"] = truth }
        if !session.metadata.isEmpty { input["metadata"] = .object(session.metadata.mapValues { .string($0) }) }
        let name = "\(job.name) / \(evaluatorID)"
        return EvalRun(
            id: id,
            agentID: session.metadata["agentId"] ?? session.metadata["agent_id"],
            name: String(name.prefix(255)),
            evaluatedComponentName: session.metadata["agentName"] ?? session.metadata["agent_name"],
            evalType: evalType,
            evalData: JSONText(.object(data)),
            evalInput: JSONText(.object(input)),
            createdAt: timestamp,
            updatedAt: timestamp
        )
    }
}
