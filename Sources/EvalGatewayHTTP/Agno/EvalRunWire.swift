import EvalGatewayCore
import Foundation

/// The Agno wire format of eval runs: `EvalSchema` out, the request bodies in.
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

    /// `DELETE /eval-runs` body.
    struct DeleteRequest: Decodable {
        let evalRunIDs: [String]
        enum CodingKeys: String, CodingKey { case evalRunIDs = "eval_run_ids" }
    }

    /// `PATCH /eval-runs/{id}` body.
    struct RenameRequest: Decodable {
        let name: String
    }

    /// `POST /eval-runs` body: a run record supplied by the client.
    struct CreateRequest: Decodable {
        let id: String?
        let evalType: String
        let evalData: JSONValue
        let evalInput: JSONValue?
        let name: String?
        let agentID: String?
        let modelID: String?
        let modelProvider: String?
        let teamID: String?
        let workflowID: String?
        let evaluatedComponentName: String?
        let userID: String?

        enum CodingKeys: String, CodingKey {
            case id
            case evalType = "eval_type"
            case evalData = "eval_data"
            case evalInput = "eval_input"
            case name
            case agentID = "agent_id"
            case modelID = "model_id"
            case modelProvider = "model_provider"
            case teamID = "team_id"
            case workflowID = "workflow_id"
            case evaluatedComponentName = "evaluated_component_name"
            case userID = "user_id"
        }
    }

    /// Decodes a JSON body, turning decoding failures into a 422 with FastAPI-style field errors.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(AgnoError) -> T {
        if bytes.isEmpty {
            throw .validation(ValidationIssue([.key("body")], "Field required", type: "missing"))
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw .validation(issue(for: error))
        } catch {
            throw .validation(ValidationIssue([.key("body")], "JSON decode error", type: "json_invalid"))
        }
    }

    private static func issue(for error: DecodingError) -> ValidationIssue {
        func location(_ path: [any CodingKey]) -> [ValidationIssue.LocationPart] {
            [.key("body")] + path.map { key in key.intValue.map(ValidationIssue.LocationPart.index) ?? .key(key.stringValue) }
        }
        func typeIssue(_ expected: Any.Type, _ path: [any CodingKey]) -> ValidationIssue {
            let name = String(describing: expected)
            switch expected {
            case is String.Type: return ValidationIssue(location(path), "Input should be a valid string", type: "string_type")
            case _ where name.hasPrefix("Array") || name.contains("UnkeyedDecodingContainer"):
                return ValidationIssue(location(path), "Input should be a valid list", type: "list_type")
            default:
                return path.isEmpty
                    ? ValidationIssue(location(path), "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
                    : ValidationIssue(location(path), "Input should be a valid \(expected)", type: "type_error")
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ValidationIssue(location(context.codingPath + [key]), "Field required", type: "missing")
        case .typeMismatch(let expected, let context), .valueNotFound(let expected, let context):
            return typeIssue(expected, context.codingPath)
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? ValidationIssue([.key("body")], "JSON decode error", type: "json_invalid")
                : ValidationIssue(location(context.codingPath), "Invalid value", type: "value_error")
        @unknown default:
            return ValidationIssue([.key("body")], "Invalid request body", type: "value_error")
        }
    }
}
