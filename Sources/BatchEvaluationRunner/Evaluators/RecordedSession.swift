public import EvalGatewayCore

/// What a session carries, read the same way by every built-in evaluator.
///
/// Ground truth comes from `groundTruth.inline` (`assertions`, `expectedTrajectory.toolNames`,
/// `turns[].expectedResponse.text`); what the agent actually did comes from the session's string
/// `metadata`:
/// - `actualToolNames`: the tools called, in order — a JSON array of strings, or a comma-separated list;
/// - `actualResponses`: the responses, one per turn — a JSON array of strings;
/// - `actualResponse`: the (final) response, as text.
public struct RecordedSession: Sendable {
    /// The session.
    public let session: BatchEvaluationSession

    /// Wraps a session.
    public init(_ session: BatchEvaluationSession) { self.session = session }

    /// The expected tool names, if the ground truth has a trajectory.
    public var expectedToolNames: [String]? {
        guard case .array(let names)? = session.inlineGroundTruth?["expectedTrajectory"]?["toolNames"] else { return nil }
        return names.compactMap(\.stringValue)
    }

    /// The assertion texts, if any.
    public var assertions: [String] {
        guard case .array(let items)? = session.inlineGroundTruth?["assertions"] else { return [] }
        return items.compactMap { $0["text"]?.stringValue }
    }

    /// The expected response of each turn (`nil` for a turn without one).
    public var expectedResponses: [String?] {
        guard case .array(let turns)? = session.inlineGroundTruth?["turns"] else { return [] }
        return turns.map { $0["expectedResponse"]?["text"]?.stringValue }
    }

    /// The tools the session called, if recorded.
    public var actualToolNames: [String]? {
        guard let raw = session.metadata["actualToolNames"] else { return nil }
        if let parsed = try? JSONValue(parsing: raw), case .array(let items) = parsed {
            return items.compactMap(\.stringValue)
        }
        return raw.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// The responses per turn, if recorded (`actualResponses`, else `actualResponse` as the last turn's).
    public var actualResponses: [String]? {
        if let raw = session.metadata["actualResponses"], let parsed = try? JSONValue(parsing: raw), case .array(let items) = parsed {
            return items.compactMap(\.stringValue)
        }
        return session.metadata["actualResponse"].map { [$0] }
    }

    /// Everything the session responded, as one text.
    public var allResponses: String? { actualResponses?.joined(separator: "\n") }
}

extension String {
    var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}

extension JSONValue {
    /// The string, if the value is one.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
