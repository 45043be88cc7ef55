import EvalGatewayCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A test client that checks every exchange against `openapi.json` as it happens: an answer of a
/// documented operation must have a listed status and match that response's headers and schema; a body
/// the server took (2xx) must be one the operation's request schema accepts, and a body the Agno surface
/// refused as invalid (422 about the body) must be one it refuses. Requests the document does not
/// describe (a refused method, an unknown path) pass through unchecked.
struct ContractCheckingClient: TestClientProtocol {
    let base: any TestClientProtocol
    let contract: OpenAPIContract

    init(_ base: any TestClientProtocol, contract: OpenAPIContract = .served) {
        self.base = base
        self.contract = contract
    }

    var port: Int? { base.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        guard let operation = contract.operation(method: method, uri: uri) else { return response }
        for problem in contract.problems(response, of: operation) {
            Issue.record("openapi.json: \(problem)")
        }
        for problem in requestProblems(operation, body: body, response: response) {
            Issue.record("openapi.json: \(operation): \(problem)")
        }
        return response
    }

    /// Whether the request schema and the server agree about this body.
    private func requestProblems(_ operation: OpenAPIContract.Operation, body: ByteBuffer?, response: TestResponse) -> [String] {
        guard let body, body.readableBytes > 0,
              let schema = contract.document["paths"]?[operation.path]?[operation.method]?["requestBody"]?["content"]?["application/json"]?["schema"],
              let instance = try? JSONValue(parsing: String(buffer: body))
        else { return [] }
        let problems = contract.validator.problems(instance, against: schema, at: "request body")
        if (200..<300).contains(response.status.code) {
            return problems.map { "the server took a body the document refuses: \($0)" }
        }
        if response.status.code == 422, problems.isEmpty, Self.refusesTheBody(response) {
            return ["the server refused as invalid a body the document accepts: \(String(buffer: body).prefix(300)) → \(String(buffer: response.body).prefix(300))"]
        }
        return []
    }

    /// Whether a 422 names a member of the body (`loc` starting with `body`) that the document describes
    /// fully. A database's adapter options (`body.options.…`) are checked by the adapter itself — a libpq
    /// URL's syntax, a Postgres identifier's rules — which the document gives the types of, not every rule;
    /// and a rule between two members (a filter's `created_after` before its `created_before`, type
    /// `date_range`) is one JSON Schema cannot state.
    private static func refusesTheBody(_ response: TestResponse) -> Bool {
        guard case .array(let errors)? = (try? JSONValue(parsing: String(buffer: response.body)))?["errors"] else { return false }
        return errors.contains { error in
            guard case .array(let location)? = error["loc"], location.first == .string("body") else { return false }
            if error["type"] == .string("date_range") { return false }
            return !(location.count > 1 && location[1] == .string("options"))
        }
    }
}
