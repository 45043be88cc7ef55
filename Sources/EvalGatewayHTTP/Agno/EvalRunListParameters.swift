import EvalGatewayCore
import Foundation
import Hummingbird
import HummingbirdCore

/// Reads `GET /eval-runs` query parameters into an ``EvalRunQuery``; bad values answer 422 naming the
/// parameter, as FastAPI does.
enum EvalRunListParameters {
    static func query(from parameters: FlatDictionary<Substring, Substring>) throws(AgnoError) -> EvalRunQuery {
        func value(_ name: String) -> String? {
            guard let raw = parameters[Substring(name)], !raw.isEmpty else { return nil }
            return String(raw)
        }
        func positiveInteger(_ name: String, default defaultValue: Int) throws(AgnoError) -> Int {
            guard let text = value(name) else { return defaultValue }
            guard let number = Int(text) else {
                throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing"))
            }
            guard number >= 1 else {
                throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be greater than or equal to 1", type: "greater_than_equal"))
            }
            return number
        }
        func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(AgnoError) -> T? where T.RawValue == String {
            guard let text = value(name) else { return nil }
            guard let parsed = T(rawValue: text) else {
                throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be \(choices(T.allCases.map(\.rawValue)))", type: "enum"))
            }
            return parsed
        }

        var query = EvalRunQuery()
        query.agentID = value("agent_id")
        query.teamID = value("team_id")
        query.workflowID = value("workflow_id")
        query.modelID = value("model_id")
        query.componentType = try enumeration("type", ComponentType.self)
        if let list = value("eval_types") {
            var types: [EvalType] = []
            for item in list.split(separator: ",") {
                let type = EvalType(rawValue: item.trimmingCharacters(in: .whitespaces))
                guard type.isKnown else {
                    throw .validation(ValidationIssue([.key("query"), .key("eval_types")], "Input should be \(choices(EvalType.known.map(\.rawValue)))", type: "enum"))
                }
                types.append(type)
            }
            query.evalTypes = types.isEmpty ? nil : types
        }
        query.limit = try positiveInteger("limit", default: 20)
        query.page = try positiveInteger("page", default: 1)
        if let sortBy = value("sort_by") {
            guard let column = EvalRunColumn(sortKey: sortBy) else {
                throw .validation(ValidationIssue([.key("query"), .key("sort_by")], "Unknown sort column '\(sortBy)'; use one of \(EvalRunColumn.allCases.map(\.rawValue).joined(separator: ", "))", type: "enum"))
            }
            query.sortBy = column
        }
        query.sortOrder = try enumeration("sort_order", SortOrder.self) ?? .descending
        let (pages, overflow) = query.page.multipliedReportingOverflow(by: query.limit)
        if overflow || pages > Int(Int32.max) {
            throw .validation(ValidationIssue([.key("query"), .key("page")], "page × limit is too large", type: "less_than_equal"))
        }
        return query
    }

    /// `'a', 'b' or 'c'`, as pydantic words enum errors.
    private static func choices(_ values: [String]) -> String {
        let quoted = values.map { "'\($0)'" }
        return quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + quoted.last! : quoted.joined()
    }
}
