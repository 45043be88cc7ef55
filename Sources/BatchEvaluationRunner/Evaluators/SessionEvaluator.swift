public import EvalGatewayCore

/// An evaluator that scores one session of a batch evaluation: a plugin point. The gateway ships
/// deterministic built-ins that compare what a session carries (its ground truth against what its
/// metadata recorded); a third party registers its own under an AgentCore evaluator id.
///
/// An evaluator never invents a score: a session with nothing to compare is ``SessionEvaluation/ignored(reason:)``.
/// A thrown error counts the session as failed for this evaluator.
public protocol SessionEvaluator: Sendable {
    /// The AgentCore evaluator id it implements (`Builtin.Correctness`, or `<name>-<10 alphanumerics>`).
    var evaluatorID: String { get }
    /// The Agno eval type of the eval runs it writes.
    var evalType: EvalType { get }
    /// Scores `session`.
    func evaluate(_ session: BatchEvaluationSession) async throws -> SessionEvaluation
}

/// The outcome of one evaluator on one session.
public enum SessionEvaluation: Sendable, Equatable {
    /// A score in 0…1, whether it passes, and why.
    case scored(score: Double, passed: Bool, explanation: String, details: JSONValue)
    /// Nothing to score (no ground truth, nothing recorded, or no local implementation).
    case ignored(reason: String)
}
