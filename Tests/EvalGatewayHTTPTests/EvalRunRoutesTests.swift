import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Create, get, list, rename on each adapter through the real router.
@Suite struct EvalRunRoutesTests {
    static let databases = ["local", "scratch"]

    @Test(arguments: databases)
    func createReturnsTheRunWithAgnoKeysInOrder(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(
                .post, "/eval-runs?db_id=\(db)",
                json: #"{"id":"r1","eval_type":"reliability","eval_data":{"b":2,"a":[1,"x"]},"eval_input":{"q":"2+2"},"agent_id":"ag","name":"First","unknown_member":true}"#
            )
            #expect(response.status == .created)
            let text = String(buffer: response.body)
            let keys = ["id", "agent_id", "model_id", "model_provider", "team_id", "workflow_id", "name", "evaluated_component_name", "user_id", "eval_type", "eval_data", "eval_input", "created_at", "updated_at"]
            let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(!positions.contains(nil), "all keys present: \(text)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "keys in Agno's order: \(text)")
            let run = response.object
            #expect(run["id"] as? String == "r1")
            #expect(run["agent_id"] as? String == "ag")
            #expect(run["model_id"] is NSNull)
            #expect((run["eval_data"] as? [String: Any])?["b"] as? Int == 2)
            let created = try #require(run["created_at"] as? String)
            #expect(created.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil, "timestamp format: \(created)")

            let fetched = try await client.send(.get, "/eval-runs/r1?db_id=\(db)")
            #expect(fetched.status == .ok)
            #expect(String(buffer: fetched.body) == text, "get returns what create returned")
        }
    }

    @Test(arguments: databases)
    func createWithoutIDGeneratesOneAndDuplicateIsConflict(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let run = try await client.createRun("dup", db: db)
            #expect(run["id"] as? String == "dup")
            let generated = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"eval_type":"accuracy","eval_data":{}}"#)
            #expect(generated.status == .created)
            #expect((generated.object["id"] as? String)?.count == 36)
            let again = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"id":"dup","eval_type":"accuracy","eval_data":{}}"#)
            #expect(again.status == .conflict)
            #expect(again.detail == "An eval run with id 'dup' already exists")
        }
    }

    @Test(arguments: databases)
    func createValidatesTheBody(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let cases: [(String, [String], String)] = [
                (#"{"eval_data":{}}"#, ["body", "eval_type"], "missing"),
                (#"{"eval_type":"accuracy"}"#, ["body", "eval_data"], "missing"),
                (#"{"eval_type":"vibes","eval_data":{}}"#, ["body", "eval_type"], "enum"),
                (#"{"eval_type":"accuracy","eval_data":[1]}"#, ["body", "eval_data"], "dict_type"),
                (#"{"eval_type":"accuracy","eval_data":{},"name":""}"#, ["body", "name"], "string_too_short"),
                (#"{"eval_type":7,"eval_data":{}}"#, ["body", "eval_type"], "string_type"),
                (#"{"eval_type":"accuracy","#, ["body"], "json_invalid"),
                (#"[]"#, ["body"], "model_attributes_type"),
            ]
            for (body, location, type) in cases {
                let response = try await client.send(.post, "/eval-runs?db_id=\(db)", json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.errorCode == "VALIDATION_ERROR")
                let issue = (response.object["errors"] as? [[String: Any]])?.first
                #expect((issue?["loc"] as? [Any])?.compactMap { $0 as? String } == location, "\(body): \(String(buffer: response.body))")
                #expect(issue?["type"] as? String == type, "\(body): \(String(buffer: response.body))")
            }
        }
    }

    @Test(arguments: databases)
    func getMissingIsNotFound(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/eval-runs/nope?db_id=\(db)")
            #expect(response.status == .notFound)
            #expect(response.detail == "Eval run with id 'nope' not found")
        }
    }

    @Test(arguments: databases)
    func percentEncodedPathIDsAreDecoded(_ db: String) async throws {
        try await TestGateway.make().test { client in
            try await client.createRun("a b/c", db: db)
            #expect(try await client.send(.get, "/eval-runs/a%20b%2Fc?db_id=\(db)").status == .ok)
        }
    }

    @Test(arguments: databases)
    func renameChangesNameAndBumpsUpdatedAt(_ db: String) async throws {
        try await TestGateway.make().test { client in
            try await client.createRun("r", db: db)
            let response = try await client.send(.patch, "/eval-runs/r?db_id=\(db)", json: #"{"name":"Renamed ✓"}"#)
            #expect(response.status == .ok)
            #expect(response.object["name"] as? String == "Renamed ✓")
            let fetched = try await client.send(.get, "/eval-runs/r?db_id=\(db)")
            #expect(fetched.object["name"] as? String == "Renamed ✓")
            #expect((fetched.object["updated_at"] as? String) ?? "" >= (fetched.object["created_at"] as? String) ?? "~")

            #expect(try await client.send(.patch, "/eval-runs/missing?db_id=\(db)", json: #"{"name":"x"}"#).status == .notFound)
            let empty = try await client.send(.patch, "/eval-runs/r?db_id=\(db)", json: #"{"name":""}"#)
            #expect(empty.status == .unprocessableContent)
            let long = try await client.send(.patch, "/eval-runs/r?db_id=\(db)", json: #"{"name":"\#(String(repeating: "n", count: 256))"}"#)
            #expect(long.status == .unprocessableContent)
            #expect(((long.object["errors"] as? [[String: Any]])?.first?["type"] as? String) == "string_too_long")
            let exactly255 = try await client.send(.patch, "/eval-runs/r?db_id=\(db)", json: #"{"name":"\#(String(repeating: "n", count: 255))"}"#)
            #expect(exactly255.status == .ok)
        }
    }

    @Test(arguments: databases)
    func listFiltersPagesAndSorts(_ db: String) async throws {
        try await TestGateway.make().test { client in
            for index in 0..<7 {
                let owner = index % 2 == 0 ? #","agent_id":"agent-a""# : #","team_id":"team-b""#
                let type = index < 3 ? "accuracy" : "performance"
                _ = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"id":"run-\#(index)","eval_type":"\#(type)","eval_data":{},"name":"n\#(6 - index)"\#(owner)}"#)
            }
            func list(_ query: String) async throws -> ([String], [String: Any]) {
                let response = try await client.send(.get, "/eval-runs?db_id=\(db)&\(query)")
                #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
                let ids = (response.object["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                return (ids, response.object["meta"] as? [String: Any] ?? [:])
            }
            let (all, meta) = try await list("")
            #expect(all.count == 7)
            #expect(meta["total_count"] as? Int == 7)
            #expect(meta["page"] as? Int == 1)
            #expect(meta["limit"] as? Int == 20)
            #expect(meta["total_pages"] as? Int == 1)
            #expect(meta["search_time_ms"] is Double || meta["search_time_ms"] is Int)

            #expect(try await list("sort_by=name&sort_order=asc").0 == ["run-6", "run-5", "run-4", "run-3", "run-2", "run-1", "run-0"])
            #expect(try await list("sort_by=id&sort_order=asc").0 == (0..<7).map { "run-\($0)" })
            #expect(try await list("agent_id=agent-a&sort_by=id&sort_order=asc").0 == ["run-0", "run-2", "run-4", "run-6"])
            #expect(try await list("type=team&sort_by=id&sort_order=asc").0 == ["run-1", "run-3", "run-5"])
            #expect(try await list("eval_types=performance&sort_by=id&sort_order=asc").0 == ["run-3", "run-4", "run-5", "run-6"])
            #expect(try await list("eval_types=accuracy,%20performance").0.count == 7)

            let (page3, pageMeta) = try await list("limit=3&page=3&sort_by=id&sort_order=asc")
            #expect(page3 == ["run-6"])
            #expect(pageMeta["total_pages"] as? Int == 3)
            #expect(try await list("limit=3&page=4").0.isEmpty)
        }
    }

    @Test func listParametersAreValidated() async throws {
        try await TestGateway.make().test { client in
            let cases: [(String, String, String)] = [
                ("limit=0", "limit", "greater_than_equal"),
                ("limit=abc", "limit", "int_parsing"),
                ("page=0", "page", "greater_than_equal"),
                ("sort_by=password", "sort_by", "enum"),
                ("sort_order=sideways", "sort_order", "enum"),
                ("type=robot", "type", "enum"),
                ("eval_types=accuracy,vibes", "eval_types", "enum"),
            ]
            for (query, parameter, type) in cases {
                // Validation comes before resolution: an unknown db_id does not hide the 422.
                let response = try await client.send(.get, "/eval-runs?db_id=nowhere&\(query)")
                #expect(response.status == .unprocessableContent, "\(query)")
                let issue = (response.object["errors"] as? [[String: Any]])?.first
                #expect((issue?["loc"] as? [String]) == ["query", parameter], "\(query)")
                #expect(issue?["type"] as? String == type, "\(query)")
            }
        }
    }
}
