public import EvalGatewayCore

/// Compares each turn's recorded response with the ground truth's `turns[].expectedResponse.text`: the
/// score is the mean token-overlap F1 over the turns that have both (1 for the same normalized text);
/// a session passes at ≥ 0.5. A single `actualResponse` is compared with the last expected response.
/// Sessions without expected responses or recorded responses are ignored.
public struct ResponseCorrectnessEvaluator: SessionEvaluator {
    public let evaluatorID: String
    public var evalType: EvalType { .accuracy }

    /// An evaluator registered as `evaluatorID`.
    public init(evaluatorID: String) { self.evaluatorID = evaluatorID }

    public func evaluate(_ session: BatchEvaluationSession) async throws -> SessionEvaluation {
        let recorded = RecordedSession(session)
        let expected = recorded.expectedResponses
        guard expected.contains(where: { $0 != nil }) else {
            return .ignored(reason: "The session has no groundTruth.inline.turns[].expectedResponse")
        }
        guard let actual = recorded.actualResponses, !actual.isEmpty else {
            return .ignored(reason: "The session's metadata has no actualResponse or actualResponses")
        }
        var pairs: [(String, String)] = []
        if session.metadata["actualResponses"] == nil {
            if let last = expected.last(where: { $0 != nil }) ?? nil { pairs.append((last, actual[0])) }
        } else {
            for (index, expectedText) in expected.enumerated() {
                if let expectedText, index < actual.count { pairs.append((expectedText, actual[index])) }
            }
        }
        guard !pairs.isEmpty else {
            return .ignored(reason: "No turn has both an expected and a recorded response")
        }
        let scores = pairs.map { TextMatching.f1(expected: $0.0, actual: $0.1) }
        let score = scores.reduce(0, +) / Double(scores.count)
        return .scored(
            score: score,
            passed: score >= 0.5,
            explanation: "Mean token F1 of \(pairs.count) turn\(pairs.count == 1 ? "" : "s") against the expected responses",
            details: .object(["turn_scores": .array(scores.map { .number($0) })])
        )
    }
}
