import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// `DELETE /eval-runs` across tenants: delete by filter, its dry run, fan-out over `db_id=a,b,c` and
/// `db_id=*`, the answers 204 / 200 / 207, and every refusal before anything is deleted.
@Suite struct CrossTenantDeleteTests {
    static let admin = AccessToken(name: "ops-admin", secret: "admin-token", scopes: [.admin], databases: ["*"])
    static let asAdmin: HTTPFields = [.authorization: "Bearer admin-token"]

    /// Seeds each database with runs of users `u-1` and `u-2` (ids prefixed by the database).
    static func seed(_ client: some TestClientProtocol, _ databases: [String], headers: HTTPFields = asAdmin) async throws {
        for db in databases {
            for index in 0..<6 {
                let user = index % 3 == 0 ? "u-1" : "u-2"
                let created = "2024-0\(index + 1)-01T00:00:00Z"
                let response = try await client.send(
                    .post, "/eval-runs?db_id=\(db)",
                    json: #"{"id":"\#(db)-\#(index)","eval_type":"\#(index % 2 == 0 ? "accuracy" : "performance")","eval_data":{},"user_id":"\#(user)","created_at":"\#(created)"}"#,
                    headers: headers
                )
                #expect(response.status == .created, "seed \(db)-\(index): \(String(buffer: response.body))")
            }
        }
    }

    /// The ids left in `db`, sorted.
    static func ids(_ client: some TestClientProtocol, _ db: String, headers: HTTPFields = asAdmin) async throws -> [String] {
        let response = try await client.send(.get, "/eval-runs?db_id=\(db)&limit=1000", headers: headers)
        return ((response.object["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test func aFilterDeleteOverEveryDatabaseRemovesOnlyTheMatchingRows() async throws {
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local", "scratch"])
            let response = try await client.send(.delete, "/eval-runs?db_id=*", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(response.status == .noContent, "\(String(buffer: response.body))")
            #expect(response.headers[.xDeletedCount] == "4")
            for db in ["local", "scratch"] {
                #expect(try await Self.ids(client, db) == ["\(db)-1", "\(db)-2", "\(db)-4", "\(db)-5"])
            }
            // Again: nothing left to delete, still a success.
            let again = try await client.send(.delete, "/eval-runs?db_id=local,scratch", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(again.status == .noContent)
            #expect(again.headers[.xDeletedCount] == "0")
        }
    }

    @Test func conditionsCombineAndTimesBoundTheRange() async throws {
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local"])
            // u-2 rows are 1, 2, 4, 5; performance ones 1 and 5; created from March (inclusive) to June (exclusive): 2, 3, 4.
            let body = #"{"filter":{"user_id":"u-2","eval_types":["performance","reliability"],"created_after":"2024-02-01T00:00:00Z","created_before":"2024-06-01T00:00:00Z"}}"#
            let response = try await client.send(.delete, "/eval-runs?db_id=local", json: body, headers: Self.asAdmin.merging([.prefer: "return=representation"]))
            #expect(response.status == .ok)
            #expect(response.object["deleted"] as? Int == 1)
            #expect(response.object["not_found"] == nil)
            #expect(try await Self.ids(client, "local") == ["local-0", "local-2", "local-3", "local-4", "local-5"])
        }
    }

    @Test func aDryRunCountsPerDatabaseAndDeletesNothing() async throws {
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local", "scratch"])
            let response = try await client.send(.delete, "/eval-runs?db_id=*&dry_run=true", json: #"{"filter":{"user_id":"u-2"}}"#, headers: Self.asAdmin)
            #expect(response.status == .ok)
            #expect(response.object["would_delete"] as? Int == 8)
            let databases = response.object["databases"] as? [String: [String: Int]]
            #expect(databases == ["local": ["would_delete": 4], "scratch": ["would_delete": 4]])
            #expect(response.headers[.xDeletedCount] == nil)
            let single = try await client.send(.delete, "/eval-runs?db_id=local&dry_run=1", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(single.status == .ok)
            #expect(single.object["would_delete"] as? Int == 2)
            for db in ["local", "scratch"] { #expect(try await Self.ids(client, db).count == 6) }
            let audit = try await client.send(.get, "/admin/audit", headers: Self.asAdmin)
            #expect((audit.object["data"] as? [Any])?.count == 0, "a dry run wrote audit records")
        }
    }

    @Test func aFanOutByIDsAnswersEachDatabasesPart() async throws {
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local", "scratch"])
            let body = #"{"eval_run_ids":["local-0","scratch-1","scratch-2","nowhere"]}"#
            let plain = try await client.send(.delete, "/eval-runs?db_id=local,scratch", json: body, headers: Self.asAdmin)
            #expect(plain.status == .noContent)
            #expect(plain.headers[.xDeletedCount] == "3")
        }
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local", "scratch"])
            let body = #"{"eval_run_ids":["local-0","scratch-1","scratch-2","nowhere"]}"#
            let response = try await client.send(.delete, "/eval-runs?db_id=scratch,local", json: body, headers: Self.asAdmin.merging([.prefer: "return=representation"]))
            #expect(response.status == .ok)
            #expect(response.object["deleted"] as? Int == 3)
            let databases = response.object["databases"] as? [String: [String: Any]] ?? [:]
            #expect(databases["local"]?["deleted"] as? Int == 1)
            #expect(databases["local"]?["not_found"] as? [String] == ["scratch-1", "scratch-2", "nowhere"])
            #expect(databases["scratch"]?["deleted"] as? Int == 2)
            #expect(databases["scratch"]?["not_found"] as? [String] == ["local-0", "nowhere"])
            // The databases in the order named.
            let text = String(buffer: response.body)
            #expect(try #require(text.range(of: "\"scratch\"")).lowerBound < (try #require(text.range(of: "\"local\""))).lowerBound)
        }
    }

    @Test func everyResolutionProblemIsTheUnknownDatabase404AndDeletesNothing() async throws {
        let localOnly = AccessToken(name: "tenant-local", secret: "local-token", scopes: [.delete, .read], databases: ["local"])
        try await TestGateway.make(tokens: [Self.admin, localOnly], extraTables: ["archive"]).test { client in
            try await Self.seed(client, ["local", "scratch"])
            let asLocal: HTTPFields = [.authorization: "Bearer local-token"]
            let cases: [(String, HTTPFields, String)] = [
                ("local,,scratch", Self.asAdmin, "No database found with id 'local,,scratch'"),
                ("local,", Self.asAdmin, "No database found with id 'local,'"),
                ("local,local", Self.asAdmin, "No database found with id 'local,local'"),
                ("local,nope", Self.asAdmin, "No database found with id 'nope'"),
                ("local,scratch", asLocal, "No database found with id 'scratch'"),
                ("local,nope", asLocal, "No database found with id 'nope'"),
            ]
            for (db, headers, detail) in cases {
                let response = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"filter":{"user_id":"u-1"}}"#, headers: headers)
                #expect(response.status == .notFound, "\(db)")
                #expect(response.detail == detail, "\(db)")
                #expect(response.errorCode == "NOT_FOUND")
            }
            // A database the token may not touch and one that does not exist: the same answer.
            let foreign = try await client.send(.delete, "/eval-runs?db_id=local,scratch", json: #"{"eval_run_ids":["x"]}"#, headers: asLocal)
            let unknown = try await client.send(.delete, "/eval-runs?db_id=local,scratcH", json: #"{"eval_run_ids":["x"]}"#, headers: asLocal)
            #expect(String(buffer: foreign.body).replacing("scratch", with: "X") == String(buffer: unknown.body).replacing("scratcH", with: "X"))
            // `*` for this token is its own databases only.
            let star = try await client.send(.delete, "/eval-runs?db_id=*&dry_run=true", json: #"{"filter":{"user_id":"u-1"}}"#, headers: asLocal)
            #expect((star.object["databases"] as? [String: Any]).map { Set($0.keys) } == ["local"])
            // A table must be registered in every database named.
            let table = try await client.send(.delete, "/eval-runs?db_id=*&table=archive", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(table.status == .noContent)
            for db in ["local", "scratch"] { #expect(try await Self.ids(client, db).count == 6, "rows of \(db)") }
        }
        let plain = RegisteredDatabase(configuration: DatabaseConfiguration(id: "plain", adapter: "memory"), store: MemoryEvalRunStore(tables: ["agno_eval_runs"]))
        try await TestGateway.make(tokens: [Self.admin], extraTables: ["archive"], extra: [plain]).test { client in
            try await Self.seed(client, ["local"])
            let response = try await client.send(.delete, "/eval-runs?db_id=local,plain&table=archive", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(response.status == .notFound)
            #expect(response.detail == "No database with id 'plain' has table 'archive'")
            let star = try await client.send(.delete, "/eval-runs?db_id=*&table=archive", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(star.status == .notFound)
            #expect(try await Self.ids(client, "local").count == 6)
        }
    }

    @Test func badBodiesAre422NamingTheFieldAndDeleteNothing() async throws {
        try await TestGateway.make(tokens: [Self.admin]).test { client in
            try await Self.seed(client, ["local"])
            let cases: [(String, String, [String], String)] = [
                ("", #"{"eval_run_ids":["local-0"],"filter":{"user_id":"u-1"}}"#, ["body"], "value_error"),
                ("", #"{}"#, ["body", "eval_run_ids"], "missing"),
                ("", #"{"filter":{}}"#, ["body", "filter"], "too_short"),
                ("", #"{"filter":"u-1"}"#, ["body", "filter"], "dict_type"),
                ("", #"{"filter":{"user":"u-1"}}"#, ["body", "filter", "user"], "extra_forbidden"),
                ("", #"{"filter":{"user_id":1}}"#, ["body", "filter", "user_id"], "string_type"),
                ("", #"{"filter":{"created_before":"yesterday"}}"#, ["body", "filter", "created_before"], "datetime_parsing"),
                ("", #"{"filter":{"created_after":"2024-02-30T00:00:00Z"}}"#, ["body", "filter", "created_after"], "datetime_parsing"),
                ("", #"{"filter":{"created_after":"2024-03-01T00:00:00Z","created_before":"2024-03-01T00:00:00Z"}}"#, ["body", "filter", "created_after"], "date_range"),
                ("", #"{"filter":{"eval_types":[]}}"#, ["body", "filter", "eval_types"], "too_short"),
                ("", #"{"filter":{"eval_types":["speed"]}}"#, ["body", "filter", "eval_types", "0"], "enum"),
                ("", #"{"filter":{"eval_types":"accuracy"}}"#, ["body", "filter", "eval_types"], "list_type"),
                ("&dry_run=true", #"{"eval_run_ids":["local-0"]}"#, ["query", "dry_run"], "value_error"),
                ("&dry_run=maybe", #"{"filter":{"user_id":"u-1"}}"#, ["query", "dry_run"], "bool_parsing"),
            ]
            for (query, body, location, type) in cases {
                for db in ["local", "*"] {
                    let response = try await client.send(.delete, "/eval-runs?db_id=\(db)\(query)", json: body, headers: Self.asAdmin)
                    #expect(response.status == .unprocessableContent, "\(body) on \(db)")
                    let issue = (response.object["errors"] as? [[String: Any]])?.first
                    let loc = (issue?["loc"] as? [Any])?.map { "\($0)" }
                    #expect(loc == location, "\(body): \(String(buffer: response.body))")
                    #expect(issue?["type"] as? String == type, "\(body): \(String(buffer: response.body))")
                }
            }
            #expect(try await Self.ids(client, "local").count == 6)
            // Checked before the database: a body problem on an unknown database is still a 422.
            let early = try await client.send(.delete, "/eval-runs?db_id=nope,local", json: #"{"filter":{}}"#, headers: Self.asAdmin)
            #expect(early.status == .unprocessableContent)
        }
    }

    @Test func aFanOutNeedsTheDeleteScope() async throws {
        let reader = AccessToken(name: "reader", secret: "reader-token", scopes: [.read], databases: ["*"])
        try await TestGateway.make(tokens: [Self.admin, reader]).test { client in
            let response = try await client.send(.delete, "/eval-runs?db_id=*", json: #"{"filter":{"user_id":"u-1"}}"#, headers: [.authorization: "Bearer reader-token"])
            #expect(response.status == .forbidden)
        }
    }

    @Test func fanOutParallelismIsBounded() async throws {
        // Twelve memory databases, two at a time: the answer is the same as with any parallelism.
        let extra = (0..<12).map { index in
            RegisteredDatabase(configuration: DatabaseConfiguration(id: "t\(index)", adapter: "memory"), store: MemoryEvalRunStore(tables: ["agno_eval_runs"]))
        }
        try await TestGateway.make(tokens: [Self.admin], dataOperations: DataOperationSettings(fanOutMaxParallel: 2), extra: extra, only: Set(extra.map(\.id))).test { client in
            try await Self.seed(client, extra.map(\.id))
            let response = try await client.send(.delete, "/eval-runs?db_id=*", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin.merging([.prefer: "return=representation"]))
            #expect(response.status == .ok)
            #expect(response.object["deleted"] as? Int == 24)
            #expect((response.object["databases"] as? [String: [String: Int]])?.values.allSatisfy { $0 == ["deleted": 2] } == true)
        }
    }
}
