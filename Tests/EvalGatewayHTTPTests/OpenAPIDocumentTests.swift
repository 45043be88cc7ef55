import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/openapi.json` describes the routes the router really has: every registered operation is
/// documented (a route that only refuses a method — 405 on the Agno surface, UnknownOperationException
/// on the AgentCore one — is not an operation), and every documented operation is registered.
@Suite struct OpenAPIDocumentTests {
    /// A path with every capture written `{}`, so `{id}` and `{batchEvaluationId}` compare equal.
    static func normalized(_ path: String) -> String {
        path.replacing(/\{[^}]*\}/, with: "{}")
    }

    /// The document's operations: normalized path → lower-case methods.
    static func operations(_ document: [String: Any]) -> [String: Set<String>] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        return Dictionary(uniqueKeysWithValues: paths.map { path, item in (normalized(path), Set(item.keys).intersection(methods)) })
    }

    @Test func everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteIsRegistered() async throws {
        // With metrics on, so that /metrics is registered too.
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        let routes = buildGatewayRouter(services: gateway.services).routes.map { (path: $0.path.description, method: $0.method) }
        #expect(routes.count > 10)
        try await gateway.test { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let documented = Self.operations(document)
            var registered: [String: Set<String>] = [:]
            for route in routes {
                let path = Self.normalized(route.path)
                let method = route.method.rawValue.lowercased()
                registered[path, default: []].insert(method)
                #expect(documented[path] != nil, "\(route.method) \(route.path) is registered but its path is not in /openapi.json")
                if documented[path]?.contains(method) == true { continue }
                // Not documented: it must be a route that refuses the method.
                let uri = route.path.replacing(/\{[^}]*\}/, with: "job-aaaaaaaaaa")
                let refusal = try await client.send(route.method, uri)
                let refused = refusal.status == .methodNotAllowed
                    || (refusal.status == .notFound && refusal.headers[.xAmznErrorType] == "UnknownOperationException")
                #expect(refused, "\(route.method) \(route.path) is registered and answers \(refusal.status), but is not in /openapi.json")
            }
            for (path, methods) in documented {
                for method in methods {
                    #expect(registered[path]?.contains(method) == true, "\(method.uppercased()) \(path) is in /openapi.json but not registered")
                }
            }
            // The surfaces the document must cover, by name.
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            for path in ["/health", "/ready", "/metrics", "/openapi.json", "/eval-runs", "/eval-runs/{id}", "/evaluations/batch-evaluate",
                         "/evaluations/batch-evaluate/{batchEvaluationId}", "/evaluations/batch-evaluate/{batchEvaluationId}/stop"] {
                #expect(paths[path] != nil, "\(path) is missing")
            }
        }
    }

    @Test func agentCoreOperationsCarryTheBotocoreNamesDatabaseParametersAndErrorShapes() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/openapi.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            let expected: [(String, String, String, String)] = [
                ("/evaluations/batch-evaluate", "post", "StartBatchEvaluation", "202"),
                ("/evaluations/batch-evaluate", "get", "ListBatchEvaluations", "200"),
                ("/evaluations/batch-evaluate/{batchEvaluationId}", "get", "GetBatchEvaluation", "200"),
                ("/evaluations/batch-evaluate/{batchEvaluationId}", "delete", "DeleteBatchEvaluation", "202"),
                ("/evaluations/batch-evaluate/{batchEvaluationId}/stop", "post", "StopBatchEvaluation", "202"),
            ]
            for (path, method, operationID, success) in expected {
                let operation = try #require(paths[path]?[method], "\(method) \(path)")
                #expect(operation["operationId"] as? String == operationID)
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(responses[success] != nil, "\(operationID) has no \(success) response")
                #expect(responses["400"] != nil && responses["401"] != nil, "\(operationID) lacks its error responses")
                let parameters = (operation["parameters"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
                #expect(parameters.contains("#/components/parameters/DatabaseID") && parameters.contains("#/components/parameters/Table"), "\(operationID) lacks db_id/table")
            }
            let components = try #require(document["components"] as? [String: Any])
            let parameters = components["parameters"] as? [String: [String: Any]] ?? [:]
            #expect(parameters["DatabaseID"]?["name"] as? String == "db_id")
            #expect(parameters["Table"]?["name"] as? String == "table")
            let schemas = components["schemas"] as? [String: [String: Any]] ?? [:]
            let validation = schemas["ValidationException"]?["properties"] as? [String: Any] ?? [:]
            #expect(Set(validation.keys) == ["__type", "message", "reason", "fieldList"])
            let error = schemas["AgentCoreError"]?["required"] as? [String] ?? []
            #expect(error == ["__type", "message"])
            // Every $ref resolves.
            let text = String(buffer: response.body)
            let references = Set(text.matches(of: /"\$ref": ?"#\/components\/([a-zA-Z]+)\/([a-zA-Z0-9_]+)"/).map { "\($0.1)/\($0.2)" })
            #expect(!references.isEmpty)
            for reference in references {
                let parts = reference.split(separator: "/").map(String.init)
                #expect((components[parts[0]] as? [String: Any])?[parts[1]] != nil, "unresolved $ref #/components/\(reference)")
            }
        }
    }
}
