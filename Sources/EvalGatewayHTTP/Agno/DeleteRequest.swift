import EvalGatewayCore
import NIOCore

/// What a `DELETE /eval-runs` body asks for: the runs with these ids, or every run matching a filter.
/// Exactly one of `eval_run_ids` and `filter`.
enum DeleteRequest: Sendable {
    case ids([String])
    case filter(EvalRunFilter)

    /// The keys a filter accepts, in the order their problems are reported.
    static let filterKeys = ["user_id", "agent_id", "team_id", "workflow_id", "model_id", "eval_types", "created_before", "created_after"]

    /// Reads a `DELETE /eval-runs` body, decoding ids one by one as they are scanned. Problems are 422s
    /// naming the field, FastAPI style: the body's own first, then `eval_run_ids`, then `filter`.
    static func parse(_ body: ByteBuffer) throws(AgnoError) -> DeleteRequest {
        var ids: [String]?
        var idsProblem: ValidationIssue?
        var filter: FilterMembers?
        var filterProblem: ValidationIssue?
        let idsLocation: [ValidationIssue.LocationPart] = [.key("body"), .key("eval_run_ids")]
        try EvalRunWire.readObject(body) { key, scanner throws(JSONSyntaxError) in
            switch key {
            case "eval_run_ids":
                // A repeated key counts with its last value, as in Python.
                idsProblem = nil
                guard try scanner.peekKind() == .array else {
                    _ = try scanner.skipValue()
                    ids = []
                    idsProblem = ValidationIssue(idsLocation, "Input should be a valid list", type: "list_type")
                    return
                }
                var list: [String] = []
                list.reserveCapacity(max(1, (scanner.bytes.count - scanner.position) / 14))
                try scanner.beginArray()
                var index = 0
                while try scanner.nextElement(&index) {
                    if try scanner.peekKind() == .string {
                        list.append(try scanner.readString())
                    } else {
                        _ = try scanner.skipValue()
                        if idsProblem == nil {
                            idsProblem = ValidationIssue(idsLocation + [.index(index - 1)], "Input should be a valid string", type: "string_type")
                        }
                    }
                }
                ids = list
            case "filter":
                filterProblem = nil
                guard try scanner.peekKind() == .object else {
                    _ = try scanner.skipValue()
                    filter = FilterMembers()
                    filterProblem = ValidationIssue([.key("body"), .key("filter")], "Input should be a valid dictionary", type: "dict_type")
                    return
                }
                var members = FilterMembers()
                try scanner.beginObject()
                var index = 0
                while let name = try scanner.nextMember(&index) {
                    members.values[name] = try FilterMembers.read(&scanner)
                    if !members.order.contains(name) { members.order.append(name) }
                }
                filter = members
            default:
                _ = try scanner.skipValue()
            }
        }
        if ids != nil, filter != nil {
            throw .validation(ValidationIssue([.key("body")], "Give either eval_run_ids or filter, not both", type: "value_error"))
        }
        if let filter {
            if let filterProblem { throw .validation(filterProblem) }
            return .filter(try filter.validated())
        }
        if let idsProblem { throw .validation(idsProblem) }
        guard let ids else { throw .validation(ValidationIssue(idsLocation, "Field required", type: "missing")) }
        guard !ids.isEmpty else {
            throw .validation(ValidationIssue(idsLocation, "List should have at least 1 item after validation, not 0", type: "too_short"))
        }
        return .ids(ids)
    }

    /// A filter's members as read, before they are checked.
    private struct FilterMembers {
        enum Value {
            case string(String)
            case strings([String?])
            case other(JSONScanner.ValueKind)
        }

        var values: [String: Value] = [:]
        var order: [String] = []

        static func read(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> Value {
            switch try scanner.peekKind() {
            case .string:
                return .string(try scanner.readString())
            case .array:
                var list: [String?] = []
                try scanner.beginArray()
                var index = 0
                while try scanner.nextElement(&index) {
                    if try scanner.peekKind() == .string {
                        list.append(try scanner.readString())
                    } else {
                        _ = try scanner.skipValue()
                        list.append(nil)
                    }
                }
                return .strings(list)
            case let kind:
                _ = try scanner.skipValue()
                return .other(kind)
            }
        }

        func validated() throws(AgnoError) -> EvalRunFilter {
            func location(_ key: String) -> [ValidationIssue.LocationPart] { [.key("body"), .key("filter"), .key(key)] }
            if let unknown = order.first(where: { !DeleteRequest.filterKeys.contains($0) }) {
                throw .validation(ValidationIssue(location(unknown), "Extra inputs are not permitted (known: \(DeleteRequest.filterKeys.joined(separator: ", ")))", type: "extra_forbidden"))
            }
            guard !values.isEmpty else {
                throw .validation(ValidationIssue(
                    [.key("body"), .key("filter")],
                    "The filter needs at least one condition (\(DeleteRequest.filterKeys.joined(separator: ", "))): an empty filter would delete everything",
                    type: "too_short"
                ))
            }
            func text(_ key: String) throws(AgnoError) -> String? {
                switch values[key] {
                case nil: return nil
                case .string(let value)?:
                    if value.utf8.contains(0) {
                        throw .validation(ValidationIssue(location(key), "String should not contain NUL characters", type: "string_pattern_mismatch"))
                    }
                    return value
                default: throw .validation(ValidationIssue(location(key), "Input should be a valid string", type: "string_type"))
                }
            }
            func time(_ key: String) throws(AgnoError) -> Int64? {
                let problem = ValidationIssue(location(key), "Input should be a valid datetime: an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SSZ)", type: "datetime_parsing")
                switch values[key] {
                case nil: return nil
                case .string(let value)?:
                    guard let seconds = Timestamp.epochSeconds(iso8601: value) else { throw .validation(problem) }
                    return seconds
                default: throw .validation(problem)
                }
            }
            var filter = EvalRunFilter()
            filter.userID = try text("user_id")
            filter.agentID = try text("agent_id")
            filter.teamID = try text("team_id")
            filter.workflowID = try text("workflow_id")
            filter.modelID = try text("model_id")
            switch values["eval_types"] {
            case nil: break
            case .strings(let list)?:
                guard !list.isEmpty else {
                    throw .validation(ValidationIssue(location("eval_types"), "List should have at least 1 item after validation, not 0", type: "too_short"))
                }
                var types: [EvalType] = []
                for (index, element) in list.enumerated() {
                    guard let element, EvalType(rawValue: element).isKnown else {
                        throw .validation(ValidationIssue(
                            location("eval_types") + [.index(index)], "Input should be 'accuracy', 'agent_as_judge', 'performance' or 'reliability'", type: "enum"
                        ))
                    }
                    types.append(EvalType(rawValue: element))
                }
                filter.evalTypes = types
            default:
                throw .validation(ValidationIssue(location("eval_types"), "Input should be a valid list", type: "list_type"))
            }
            filter.createdBefore = try time("created_before")
            filter.createdAfter = try time("created_after")
            if let before = filter.createdBefore, let after = filter.createdAfter, after >= before {
                throw .validation(ValidationIssue(location("created_after"), "created_after must be earlier than created_before", type: "date_range"))
            }
            return filter
        }
    }
}
