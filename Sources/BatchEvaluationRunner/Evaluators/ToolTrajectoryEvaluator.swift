public import EvalGatewayCore

/// Compares the tools a session called (`actualToolNames` in its metadata) with its ground truth's
/// `expectedTrajectory.toolNames`. Sessions without either are ignored.
public struct ToolTrajectoryEvaluator: SessionEvaluator {
    /// How the two lists are compared.
    public enum Mode: String, Sendable {
        /// Score = matched calls (as multisets) / the longer list's length; passes at 1.
        case selectionAccuracy
        /// 1 if the lists are equal, else 0.
        case exactOrder
        /// 1 if the expected tools appear in the actual calls in order (others may come between), else 0.
        case inOrder
        /// 1 if every expected tool was called, in any order, else 0.
        case anyOrder
    }

    public let evaluatorID: String
    /// The comparison.
    public let mode: Mode
    public var evalType: EvalType { .reliability }

    /// An evaluator registered as `evaluatorID`, comparing by `mode`.
    public init(evaluatorID: String, mode: Mode) {
        self.evaluatorID = evaluatorID
        self.mode = mode
    }

    public func evaluate(_ session: BatchEvaluationSession) async throws -> SessionEvaluation {
        let recorded = RecordedSession(session)
        guard let expected = recorded.expectedToolNames else {
            return .ignored(reason: "The session has no groundTruth.inline.expectedTrajectory")
        }
        guard let actual = recorded.actualToolNames else {
            return .ignored(reason: "The session's metadata has no actualToolNames")
        }
        let score: Double
        switch mode {
        case .selectionAccuracy:
            var remaining: [String: Int] = [:]
            for name in expected { remaining[name, default: 0] += 1 }
            var matched = 0
            for name in actual where (remaining[name] ?? 0) > 0 {
                remaining[name]! -= 1
                matched += 1
            }
            let longest = max(expected.count, actual.count)
            score = longest == 0 ? 1 : Double(matched) / Double(longest)
        case .exactOrder:
            score = expected == actual ? 1 : 0
        case .inOrder:
            var iterator = actual.makeIterator()
            score = expected.allSatisfy { name in
                while let next = iterator.next() { if next == name { return true } }
                return false
            } ? 1 : 0
        case .anyOrder:
            score = Set(expected).isSubset(of: Set(actual)) ? 1 : 0
        }
        let missing = expected.filter { !actual.contains($0) }
        let unexpected = actual.filter { !expected.contains($0) }
        var explanation = "Expected tools [\(expected.joined(separator: ", "))], called [\(actual.joined(separator: ", "))]"
        if !missing.isEmpty { explanation += "; missing [\(missing.joined(separator: ", "))]" }
        if !unexpected.isEmpty { explanation += "; unexpected [\(unexpected.joined(separator: ", "))]" }
        return .scored(
            score: score,
            passed: score >= 1,
            explanation: explanation,
            details: .object([
                "mode": .string(mode.rawValue),
                "expected_tool_names": .array(expected.map { .string($0) }),
                "actual_tool_names": .array(actual.map { .string($0) }),
            ])
        )
    }
}
