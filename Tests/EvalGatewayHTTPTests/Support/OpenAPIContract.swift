import EvalGatewayCore
@testable import EvalGatewayHTTP
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// The served OpenAPI document as a checker of real answers: the operation a request hit, whether the
/// status it got is one the document lists for it, and whether the headers and body match that
/// response's description.
struct OpenAPIContract: Sendable {
    /// The document, parsed from the bytes `/openapi.json` serves.
    static let served: OpenAPIContract = {
        do {
            return OpenAPIContract(document: try JSONValue(parsing: String(buffer: OpenAPIDocument.json)))
        } catch {
            fatalError("openapi.json is not JSON: \(error)")
        }
    }()

    let document: JSONValue
    var validator: JSONSchemaValidator { JSONSchemaValidator(document: document) }

    /// A documented operation: its path template and lower-case method.
    struct Operation: Hashable, Sendable, CustomStringConvertible {
        var path: String
        var method: String
        var description: String { "\(method.uppercased()) \(path)" }
    }

    /// Every documented operation with the statuses it lists.
    var documentedResponses: [Operation: Set<String>] {
        guard case .object(let paths)? = document["paths"] else { return [:] }
        var result: [Operation: Set<String>] = [:]
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods where Self.methods.contains(method) {
                guard case .object(let responses)? = operation["responses"] else { continue }
                result[Operation(path: path, method: method)] = Set(responses.keys)
            }
        }
        return result
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The documented operation a request goes to, or `nil` if the document does not describe it.
    func operation(method: HTTPRequest.Method, uri: String) -> Operation? {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard case .object(let paths)? = document["paths"] else { return nil }
        let method = method.rawValue.lowercased()
        let matching = paths.keys.filter { template in
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in
                part.hasPrefix("{") && part.hasSuffix("}") ? !segment.isEmpty : part == segment
            }
        }
        // A literal path beats a template (`/a/stop` over `/a/{id}`).
        guard let template = matching.min(by: { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }) else { return nil }
        return paths[template]?[method] == nil ? nil : Operation(path: template, method: method)
    }

    /// What is wrong with `response` as an answer of `operation`; empty when it matches the document.
    func problems(_ response: TestResponse, of operation: Operation) -> [String] {
        let status = String(response.status.code)
        guard let responses = document["paths"]?[operation.path]?[operation.method]?["responses"] else {
            return ["\(operation) is not documented"]
        }
        guard var described = responses[status] ?? responses["default"] else {
            return ["\(operation) answered \(status), which the document does not list"]
        }
        if case .string(let reference)? = described["$ref"] {
            guard let target = validator.resolve(reference) else { return ["\(operation) \(status): unresolved \(reference)"] }
            described = target
        }
        var problems: [String] = []
        let body = response.body
        if case .object(let headers)? = described["headers"] {
            for (name, header) in headers.sorted(by: { $0.key < $1.key }) {
                let value = HTTPField.Name(name).flatMap { response.headers[$0] }
                guard let value else {
                    if header["required"] == .bool(true) { problems.append("header \(name) is missing") }
                    continue
                }
                if let schema = header["schema"] {
                    let instance: JSONValue = schema["type"] == .string("integer") ? (Int64(value).map(JSONValue.integer) ?? .string(value)) : .string(value)
                    problems += validator.problems(instance, against: schema, at: "header \(name)")
                }
            }
        }
        guard case .object(let content)? = described["content"], !content.isEmpty else {
            if body.readableBytes > 0 { problems.append("the document describes no body, but one came: \(String(buffer: body).prefix(200))") }
            return problems.map { "\(operation) \(status): \($0)" }
        }
        let contentType = response.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard let media = content[mediaType] else {
            problems.append("Content-Type '\(contentType)' is not one of \(content.keys.sorted())")
            return problems.map { "\(operation) \(status): \($0)" }
        }
        if let schema = media["schema"] {
            let instance: JSONValue
            if mediaType.hasSuffix("json") {
                guard let parsed = try? JSONValue(parsing: String(buffer: body)) else {
                    return ["\(operation) \(status): the body is not JSON: \(String(buffer: body).prefix(200))"]
                }
                instance = parsed
            } else {
                instance = .string(String(buffer: body))
            }
            problems += validator.problems(instance, against: schema)
        }
        return problems.map { "\(operation) \(status): \($0)" }
    }
}
