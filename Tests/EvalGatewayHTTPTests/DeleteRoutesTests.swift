import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `DELETE /eval-runs` on each adapter: Agno's 204, the exact count, the representation, the limits.
@Suite struct DeleteRoutesTests {
    static let databases = ["local", "scratch"]

    @Test(arguments: databases)
    func deleteAnswers204WithTheExactCount(_ db: String) async throws {
        try await TestGateway.make().test { client in
            for id in ["a", "b", "c"] { try await client.createRun(id, db: db) }
            let response = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["a","a","c","missing"]}"#)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[.xDeletedCount] == "2")
            #expect(try await client.send(.get, "/eval-runs/a?db_id=\(db)").status == .notFound)
            #expect(try await client.send(.get, "/eval-runs/b?db_id=\(db)").status == .ok)

            let again = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["a","c"]}"#)
            #expect(again.status == .noContent)
            #expect(again.headers[.xDeletedCount] == "0")
        }
    }

    @Test(arguments: databases)
    func preferReturnRepresentationReportsNotFoundIDs(_ db: String) async throws {
        try await TestGateway.make().test { client in
            for id in ["x", "y"] { try await client.createRun(id, db: db) }
            let response = try await client.send(
                .delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["x","nope","x","y","nope","gone"]}"#,
                headers: [.prefer: "return=representation"]
            )
            #expect(response.status == .ok)
            #expect(response.object["deleted"] as? Int == 2)
            #expect(response.object["not_found"] as? [String] == ["nope", "gone"])
            #expect(response.headers[.xDeletedCount] == "2")
        }
    }

    @Test func idsOfAnotherDatabaseAreNotTouched() async throws {
        try await TestGateway.make().test { client in
            try await client.createRun("shared", db: "local")
            try await client.createRun("shared", db: "scratch")
            let response = try await client.send(.delete, "/eval-runs?db_id=scratch", json: #"{"eval_run_ids":["shared"]}"#)
            #expect(response.headers[.xDeletedCount] == "1")
            #expect(try await client.send(.get, "/eval-runs/shared?db_id=local").status == .ok)
        }
    }

    @Test func bodyIsValidatedBeforeResolution() async throws {
        try await TestGateway.make().test { client in
            let cases: [(String, [String], String)] = [
                (#"{"eval_run_ids":[]}"#, ["body", "eval_run_ids"], "too_short"),
                (#"{}"#, ["body", "eval_run_ids"], "missing"),
                (#"{"eval_run_ids":"a"}"#, ["body", "eval_run_ids"], "list_type"),
                (#"{"eval_run_ids":null}"#, ["body", "eval_run_ids"], "list_type"),
                (#"{"eval_run_ids":["a",3]}"#, ["body", "eval_run_ids"], "string_type"),
                (#"{"eval_run_ids":["a""#, ["body"], "json_invalid"),
                ("", ["body"], "missing"),
            ]
            for (body, location, type) in cases {
                let response = try await client.send(.delete, "/eval-runs?db_id=nowhere", json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                let issue = (response.object["errors"] as? [[String: Any]])?.first
                let loc = (issue?["loc"] as? [Any])?.compactMap { $0 as? String }
                #expect(loc == location, "\(body): \(String(buffer: response.body))")
                #expect(issue?["type"] as? String == type, "\(body): \(String(buffer: response.body))")
            }
        }
    }

    @Test func tooManyIDsOrTooLargeABodyIs413AndDeletesNothing() async throws {
        try await TestGateway.make(limits: RequestLimits(maxIDsPerRequest: 3, maxBodyBytes: 2048)).test { client in
            for id in ["a", "b", "c", "d"] { try await client.createRun(id, db: "local") }
            let tooMany = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["a","b","c","d"]}"#)
            #expect(tooMany.status == .contentTooLarge)
            #expect(tooMany.errorCode == "PAYLOAD_TOO_LARGE")
            let ids = (0..<300).map { "\"id-\($0)\"" }.joined(separator: ",")
            let tooLarge = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["a",\#(ids)]}"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.errorCode == "PAYLOAD_TOO_LARGE")
            let list = try await client.send(.get, "/eval-runs?db_id=local")
            #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == 4)
        }
    }

    @Test(arguments: databases)
    func aLargeDeleteIsOneRequest(_ db: String) async throws {
        try await TestGateway.make().test { client in
            for index in stride(from: 0, to: 70_000, by: 7_000) { try await client.createRun("big-\(index)", db: db) }
            let ids = (0..<70_000).map { "\"big-\($0)\"" }.joined(separator: ",")
            let response = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":[\#(ids)]}"#)
            #expect(response.status == .noContent)
            #expect(response.headers[.xDeletedCount] == "10")
        }
    }

    @Test(arguments: databases)
    func concurrentOverlappingDeletesRemoveEachRowOnce(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let rows = 200
            for index in 0..<rows { try await client.createRun("c-\(index)", db: db) }
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        let ids = (0..<50).map { "\"c-\((worker * 13 + $0) % rows)\"" }.joined(separator: ",")
                        let response = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":[\#(ids)]}"#)
                        return Int(response.headers[.xDeletedCount] ?? "") ?? -1_000
                    }
                }
                return try await group.reduce(0, +)
            }
            let requested = Set((0..<16).flatMap { worker in (0..<50).map { (worker * 13 + $0) % rows } })
            #expect(total == requested.count)
            let list = try await client.send(.get, "/eval-runs?db_id=\(db)")
            #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == rows - requested.count)
        }
    }
}
