/// The evaluators the runner can use, by evaluator id. An id with no entry is not scored: its sessions
/// count as ignored.
public struct SessionEvaluatorRegistry: Sendable {
    private var evaluators: [String: any SessionEvaluator] = [:]

    /// A registry holding `evaluators`.
    public init(_ evaluators: [any SessionEvaluator] = []) {
        for evaluator in evaluators { register(evaluator) }
    }

    /// Registers an evaluator, replacing any earlier one with the same id.
    public mutating func register(_ evaluator: any SessionEvaluator) {
        evaluators[evaluator.evaluatorID] = evaluator
    }

    /// The evaluator for `id`, if one is registered.
    public func evaluator(id: String) -> (any SessionEvaluator)? { evaluators[id] }

    /// The registered ids, sorted.
    public var ids: [String] { evaluators.keys.sorted() }

    /// The gateway's deterministic built-ins.
    public static let builtIn = SessionEvaluatorRegistry([
        ToolTrajectoryEvaluator(evaluatorID: "Builtin.ToolSelectionAccuracy", mode: .selectionAccuracy),
        ToolTrajectoryEvaluator(evaluatorID: "Builtin.TrajectoryExactOrderMatch", mode: .exactOrder),
        ToolTrajectoryEvaluator(evaluatorID: "Builtin.TrajectoryInOrderMatch", mode: .inOrder),
        ToolTrajectoryEvaluator(evaluatorID: "Builtin.TrajectoryAnyOrderMatch", mode: .anyOrder),
        ResponseCorrectnessEvaluator(evaluatorID: "Builtin.Correctness"),
        AssertionEvaluator(evaluatorID: "Builtin.GoalSuccessRate"),
    ])
}
