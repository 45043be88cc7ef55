public import EvalGatewayCore

/// Checks the ground truth's `assertions` against everything the session responded: an assertion holds
/// when the response contains its text, or all its content words (case and punctuation aside). The score
/// is the fraction that hold; the session passes when all do. Sessions without assertions or recorded
/// responses are ignored.
public struct AssertionEvaluator: SessionEvaluator {
    public let evaluatorID: String
    public var evalType: EvalType { .accuracy }

    /// An evaluator registered as `evaluatorID`.
    public init(evaluatorID: String) { self.evaluatorID = evaluatorID }

    public func evaluate(_ session: BatchEvaluationSession) async throws -> SessionEvaluation {
        let recorded = RecordedSession(session)
        let assertions = recorded.assertions
        guard !assertions.isEmpty else {
            return .ignored(reason: "The session has no groundTruth.inline.assertions")
        }
        guard let response = recorded.allResponses else {
            return .ignored(reason: "The session's metadata has no actualResponse or actualResponses")
        }
        let held = assertions.map { TextMatching.supports(response, assertion: $0) }
        let count = held.filter { $0 }.count
        return .scored(
            score: Double(count) / Double(assertions.count),
            passed: count == assertions.count,
            explanation: "\(count) of \(assertions.count) assertion\(assertions.count == 1 ? "" : "s") hold in the recorded response",
            details: .object(["assertions": .array(zip(assertions, held).map { .object(["text": .string($0), "holds": .bool($1)]) })])
        )
    }
}
