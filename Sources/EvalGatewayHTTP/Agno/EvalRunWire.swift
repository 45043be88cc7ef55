import EvalGatewayCore
import NIOCore

/// The Agno wire format of eval runs: `EvalSchema` out, the request bodies in.
///
/// Bodies are read with a ``JSONScanner`` straight from the request's bytes: no generic JSON tree,
/// `eval_data` and `eval_input` kept as the client's text. Problems are reported as FastAPI does, in this
/// order: JSON that does not parse (`json_invalid`), a body that is not an object, then the first
/// field in declaration order that is missing or of the wrong type.
enum EvalRunWire {
    /// Writes an EvalRun with its keys in Agno's order.
    static func write(_ run: EvalRun, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.write(run.id)
        writer.key("agent_id"); writer.write(run.agentID)
        writer.key("model_id"); writer.write(run.modelID)
        writer.key("model_provider"); writer.write(run.modelProvider)
        writer.key("team_id"); writer.write(run.teamID)
        writer.key("workflow_id"); writer.write(run.workflowID)
        writer.key("name"); writer.write(run.name)
        writer.key("evaluated_component_name"); writer.write(run.evaluatedComponentName)
        writer.key("user_id"); writer.write(run.userID)
        writer.key("eval_type"); writer.write(run.evalType.rawValue)
        writer.key("eval_data"); writer.write(run.evalData)
        writer.key("eval_input"); writer.write(run.evalInput)
        writer.key("created_at"); writer.write(Timestamp.iso8601(run.createdAt))
        writer.key("updated_at"); writer.write(run.updatedAt.map { Timestamp.iso8601($0) })
        writer.endObject()
    }

    // MARK: - Request bodies

    /// `POST /eval-runs` body: a run record supplied by the client.
    struct CreateRequest {
        var id: String?
        var evalType: String
        var evalData: JSONText
        var evalInput: JSONText?
        var name: String?
        var agentID: String?
        var modelID: String?
        var modelProvider: String?
        var teamID: String?
        var workflowID: String?
        var evaluatedComponentName: String?
        var userID: String?
        /// Epoch seconds, when the client gave one.
        var createdAt: Int64?
        /// Epoch seconds, when the client gave one.
        var updatedAt: Int64?
    }

    /// The fields of a create body, in declaration order (the order their problems are reported in).
    private enum CreateField: String, CaseIterable {
        case id, evalType = "eval_type", evalData = "eval_data", evalInput = "eval_input", name
        case agentID = "agent_id", modelID = "model_id", modelProvider = "model_provider", teamID = "team_id"
        case workflowID = "workflow_id", evaluatedComponentName = "evaluated_component_name", userID = "user_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// A member's value as read: what a field needs from it.
    private enum Member {
        case string(String)
        case null
        case json(JSONText)
        case integer(String)
        case other(JSONScanner.ValueKind)
    }

    /// Reads a `POST /eval-runs` body.
    static func createRequest(from body: ByteBuffer) throws(AgnoError) -> CreateRequest {
        var members: [CreateField: Member] = [:]
        try readObject(body) { key, scanner throws(JSONSyntaxError) in
            guard let field = CreateField(rawValue: key) else {
                _ = try scanner.skipValue()
                return
            }
            switch field {
            case .evalData, .evalInput:
                let range = try scanner.skipValue()
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[range]), as: UTF8.self)
                members[field] = .json(JSONText(checked: text))
            default:
                switch try scanner.peekKind() {
                case .string: members[field] = .string(try scanner.readString())
                case .null:
                    try scanner.readNull()
                    members[field] = .null
                case .number: members[field] = .integer(try scanner.readNumberText())
                case let kind:
                    _ = try scanner.skipValue()
                    members[field] = .other(kind)
                }
            }
        }
        func location(_ field: CreateField) -> [ValidationIssue.LocationPart] { [.key("body"), .key(field.rawValue)] }
        func optionalString(_ field: CreateField) throws(AgnoError) -> String? {
            switch members[field] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw .validation(ValidationIssue(location(field), "Input should be a valid string", type: "string_type"))
            }
        }
        func timestamp(_ field: CreateField) throws(AgnoError) -> Int64? {
            let problem = ValidationIssue(
                location(field), "Input should be a valid datetime: epoch seconds or an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SSZ)",
                type: "datetime_parsing"
            )
            let seconds: Int64?
            switch members[field] {
            case nil, .null?: return nil
            case .integer(let digits)?: seconds = Int64(digits)
            case .string(let text)?: seconds = Timestamp.epochSeconds(iso8601: text)
            default: throw .validation(problem)
            }
            guard let seconds, Self.timestampRange.contains(seconds) else { throw .validation(problem) }
            return seconds
        }

        let id = try optionalString(.id)
        guard let evalTypeMember = members[.evalType] else {
            throw .validation(ValidationIssue(location(.evalType), "Field required", type: "missing"))
        }
        guard case .string(let evalType) = evalTypeMember else {
            throw .validation(ValidationIssue(location(.evalType), "Input should be a valid string", type: "string_type"))
        }
        guard case .json(let evalData)? = members[.evalData] else {
            throw .validation(ValidationIssue(location(.evalData), "Field required", type: "missing"))
        }
        var evalInput: JSONText?
        if case .json(let input)? = members[.evalInput] { evalInput = input }
        return CreateRequest(
            id: id,
            evalType: evalType,
            evalData: evalData,
            evalInput: evalInput,
            name: try optionalString(.name),
            agentID: try optionalString(.agentID),
            modelID: try optionalString(.modelID),
            modelProvider: try optionalString(.modelProvider),
            teamID: try optionalString(.teamID),
            workflowID: try optionalString(.workflowID),
            evaluatedComponentName: try optionalString(.evaluatedComponentName),
            userID: try optionalString(.userID),
            createdAt: try timestamp(.createdAt),
            updatedAt: try timestamp(.updatedAt)
        )
    }

    /// The epoch seconds a client may give: the years 0001 to 9999, which render as `YYYY-…`.
    static let timestampRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Reads a `PATCH /eval-runs/{id}` body and returns its `name`.
    static func renameRequest(from body: ByteBuffer) throws(AgnoError) -> String {
        var name: Member?
        try readObject(body) { key, scanner throws(JSONSyntaxError) in
            guard key == "name" else {
                _ = try scanner.skipValue()
                return
            }
            if try scanner.peekKind() == .string {
                name = .string(try scanner.readString())
            } else {
                name = .other(try scanner.peekKind())
                _ = try scanner.skipValue()
            }
        }
        switch name {
        case .string(let value)?: return value
        case nil: throw .validation(ValidationIssue([.key("body"), .key("name")], "Field required", type: "missing"))
        default: throw .validation(ValidationIssue([.key("body"), .key("name")], "Input should be a valid string", type: "string_type"))
        }
    }

    /// Scans a body that must be one JSON object, calling `member` with each key and the scanner at its
    /// value (which `member` must read or skip). Throws the body-level problems: empty, not JSON, not
    /// an object.
    static func readObject(
        _ body: ByteBuffer,
        _ member: (String, inout JSONScanner) throws(JSONSyntaxError) -> Void
    ) throws(AgnoError) {
        if body.readableBytes == 0 {
            throw .validation(ValidationIssue([.key("body")], "Field required", type: "missing"))
        }
        let isObject: Bool
        do {
            isObject = try body.withUnsafeReadableBytes { bytes in
                var scanner = JSONScanner(bytes)
                guard try scanner.peekKind() == .object else {
                    _ = try scanner.skipValue()
                    try scanner.expectEnd()
                    return false
                }
                try scanner.beginObject()
                var index = 0
                while let key = try scanner.nextMember(&index) {
                    try member(key, &scanner)
                }
                try scanner.expectEnd()
                return true
            }
        } catch {
            throw .validation(ValidationIssue([.key("body")], "JSON decode error", type: "json_invalid"))
        }
        guard isObject else {
            throw .validation(ValidationIssue(
                [.key("body")], "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type"
            ))
        }
    }
}
