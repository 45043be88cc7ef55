import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `db_id` / `table` resolution through the real router (a table needs a database; no database picks the only
/// one or the default; an unknown database or table is a 404), with the exact messages.
@Suite struct ResolutionRoutesTests {
    @Test func tableWithoutDatabaseIsBadRequest() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/eval-runs?table=agno_eval_runs")
            #expect(response.status == .badRequest)
            #expect(response.detail == "The db_id query parameter is required when passing a table")
            #expect(response.errorCode == "BAD_REQUEST")
        }
    }

    @Test func severalDatabasesWithoutDefaultNeedDatabaseID() async throws {
        try await TestGateway.make().test { client in
            for uri in ["/eval-runs", "/eval-runs?db_id=", "/eval-runs?db_id=&table="] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.detail == "The db_id query parameter is required when using multiple databases")
            }
        }
    }

    @Test func theOnlyDatabaseIsUsedWithoutDatabaseID() async throws {
        try await TestGateway.make(only: ["scratch"]).test { client in
            try await client.createRun("only-one", db: "scratch")
            let response = try await client.send(.get, "/eval-runs/only-one")
            #expect(response.status == .ok)
        }
    }

    @Test func theDefaultDatabaseIsUsedWithoutDatabaseID() async throws {
        try await TestGateway.make(defaultDatabaseID: "scratch").test { client in
            try await client.createRun("in-scratch", db: "scratch")
            #expect(try await client.send(.get, "/eval-runs/in-scratch").status == .ok)
            #expect(try await client.send(.get, "/eval-runs/in-scratch?db_id=local").status == .notFound)
        }
    }

    @Test func unknownDatabaseIsNotFoundAndCaseSensitive() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/eval-runs?db_id=LOCAL")
            #expect(response.status == .notFound)
            #expect(response.detail == "No database found with id 'LOCAL'")
            #expect(response.errorCode == "NOT_FOUND")
        }
    }

    @Test func unregisteredTableIsNotFound() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/eval-runs?db_id=local&table=agno_sessions")
            #expect(response.status == .notFound)
            #expect(response.detail == "No database with id 'local' has table 'agno_sessions'")
        }
    }

    @Test func aRegisteredSecondTableIsSeparate() async throws {
        try await TestGateway.make(extraTables: ["agno_eval_runs_archive"]).test { client in
            for db in ["local", "scratch"] {
                let created = try await client.send(.post, "/eval-runs?db_id=\(db)&table=agno_eval_runs_archive", json: #"{"id":"old","eval_type":"accuracy","eval_data":{}}"#)
                #expect(created.status == .created)
                #expect(try await client.send(.get, "/eval-runs/old?db_id=\(db)&table=agno_eval_runs_archive").status == .ok)
                #expect(try await client.send(.get, "/eval-runs/old?db_id=\(db)").status == .notFound)
            }
        }
    }

    @Test(arguments: [
        "x'; DROP TABLE agno_eval_runs; --", "agno_eval_runs\"", "../../etc/passwd", "a%00b", "main.agno_eval_runs",
        String(repeating: "t", count: 10_000), "日本語", "agno_eval_runs;", "AGNO_EVAL_RUNS",
    ])
    func hostileValuesAreRefusedAndTheTableIsIntact(_ value: String) async throws {
        try await TestGateway.make().test { client in
            try await client.createRun("precious", db: "local")
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            for uri in ["/eval-runs?db_id=local&table=\(encoded)", "/eval-runs?db_id=\(encoded)", "/eval-runs?db_id=\(encoded)&table=\(encoded)"] {
                for method in [HTTPRequest.Method.get, .delete] {
                    let response = try await client.send(method, uri, json: method == .delete ? #"{"eval_run_ids":["precious"]}"# : nil)
                    #expect(response.status == .notFound, "\(method) \(uri.prefix(80))")
                    #expect(response.errorCode == "NOT_FOUND")
                }
            }
            let list = try await client.send(.get, "/eval-runs?db_id=local")
            #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == 1)
        }
    }
}
