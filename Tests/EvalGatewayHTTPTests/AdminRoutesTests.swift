import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// The admin API through the real router: databases and tokens as data, with the statuses, bodies and
/// redaction clients rely on.
@Suite struct AdminRoutesTests {
    static let admin = AccessToken(name: "platform-admin", secret: "admin-secret", scopes: [.admin], databases: ["*"])
    static let reader = AccessToken(name: "reader", secret: "reader-secret", scopes: [.read], databases: ["*"])

    func gateway() async throws -> TestGateway {
        try await TestGateway.make(tokens: [Self.admin, Self.reader], registryStore: MemoryRegistryStore())
    }

    let asAdmin: HTTPFields = [.authorization: "Bearer admin-secret"]

    @Test func aDatabaseIsCreatedServedReplacedAndRemoved() async throws {
        try await gateway().test { client in
            let put = try await client.send(.put, "/admin/databases/tenant-a", json: #"{"adapter":"memory","tables":["runs"]}"#, headers: asAdmin)
            #expect(put.status == .created)
            #expect(put.object["db_id"] as? String == "tenant-a")
            #expect(put.object["source"] as? String == "api")
            #expect(put.object["tables"] as? [String] == ["runs"])
            #expect(put.object["created_at"] is String)

            // Usable at once, through the Agno surface.
            let create = try await client.send(.post, "/eval-runs?db_id=tenant-a&table=runs", json: #"{"id":"r1","eval_type":"accuracy","eval_data":{}}"#, headers: asAdmin)
            #expect(create.status == .created)

            let replaced = try await client.send(.put, "/admin/databases/tenant-a", json: #"{"adapter":"memory","tables":["runs"],"rate":{"requests_per_second":50}}"#, headers: asAdmin)
            #expect(replaced.status == .ok)
            #expect((replaced.object["rate"] as? [String: Any])?["burst"] as? Int == 50)

            let got = try await client.send(.get, "/admin/databases/tenant-a", headers: asAdmin)
            #expect(got.status == .ok && got.object["adapter"] as? String == "memory")

            let deleted = try await client.send(.delete, "/admin/databases/tenant-a", headers: asAdmin)
            #expect(deleted.status == .noContent)
            let gone = try await client.send(.get, "/eval-runs?db_id=tenant-a", headers: asAdmin)
            #expect(gone.status == .notFound && gone.detail == "No database found with id 'tenant-a'")
            let again = try await client.send(.delete, "/admin/databases/tenant-a", headers: asAdmin)
            #expect(again.status == .notFound && again.errorCode == "NOT_FOUND")
        }
    }

    @Test func declaredDatabasesAreListedButNotChangeable() async throws {
        try await gateway().test { client in
            let list = try await client.send(.get, "/admin/databases", headers: asAdmin)
            #expect(list.status == .ok)
            let data = try #require(list.object["data"] as? [[String: Any]])
            #expect(data.map { $0["db_id"] as? String } == ["local", "scratch"])
            #expect(data.allSatisfy { $0["source"] as? String == "config" })
            let meta = try #require(list.object["meta"] as? [String: Any])
            #expect(meta["total_count"] as? Int == 2 && meta["page"] as? Int == 1 && meta["limit"] as? Int == 20)

            let put = try await client.send(.put, "/admin/databases/local", json: #"{"adapter":"memory"}"#, headers: asAdmin)
            #expect(put.status == .conflict)
            #expect(put.detail == "Database 'local' is declared in the configuration file")
            #expect(put.errorCode == "CONFLICT")
            #expect(try await client.send(.delete, "/admin/databases/local", headers: asAdmin).status == .conflict)
        }
    }

    @Test func listsPageInDatabaseIDOrder() async throws {
        try await gateway().test { client in
            for id in ["t-c", "t-a", "t-b"] {
                #expect(try await client.send(.put, "/admin/databases/\(id)", json: #"{"adapter":"memory"}"#, headers: asAdmin).status == .created)
            }
            let page = try await client.send(.get, "/admin/databases?limit=2&page=2", headers: asAdmin)
            let ids = (page.object["data"] as? [[String: Any]])?.compactMap { $0["db_id"] as? String }
            #expect(ids == ["t-a", "t-b"])
            let meta = page.object["meta"] as? [String: Any]
            #expect(meta?["total_pages"] as? Int == 3 && meta?["total_count"] as? Int == 5)
            let bad = try await client.send(.get, "/admin/databases?limit=0", headers: asAdmin)
            #expect(bad.status == .unprocessableContent)
        }
    }

    /// Invalid bodies answer 422 naming the key under `body`, and store nothing.
    @Test func invalidEntriesAreRefusedNamingTheKey() async throws {
        try await gateway().test { client in
            let cases: [(String, String, [String])] = [
                ("/admin/databases/t1", #"{"adapter":"mongo"}"#, ["body", "adapter"]),
                ("/admin/databases/t1", #"{"adapter":"sqlite"}"#, ["body", "options", "path"]),
                ("/admin/databases/t1", #"{"adapter":"memory","colour":"red"}"#, ["body", "colour"]),
                ("/admin/databases/t1", #"{"adapter":"memory","tables":["ok","a\u0001b"]}"#, ["body", "tables", "1"]),
                ("/admin/databases/t1", #"{"adapter":"postgres","options":{"url":"postgresql://u:p@127.0.0.1/db","schema":"bad\"schema\u0000"}}"#, ["body", "options", "schema"]),
                ("/admin/databases/a%20b", #"{"adapter":"memory"}"#, ["path", "db_id"]),
                ("/admin/databases/" + String(repeating: "x", count: 129), #"{"adapter":"memory"}"#, ["path", "db_id"]),
                ("/admin/databases/caf%C3%A9", #"{"adapter":"memory"}"#, ["path", "db_id"]),
                ("/admin/databases/t1", #"not json"#, ["body"]),
            ]
            for (path, body, location) in cases {
                let response = try await client.send(.put, path, json: body, headers: asAdmin)
                #expect(response.status == .unprocessableContent, "\(path) \(body): \(String(buffer: response.body))")
                #expect(response.errorCode == "VALIDATION_ERROR")
                let loc = ((response.object["errors"] as? [[String: Any]])?.first?["loc"] as? [Any])?.map { "\($0)" }
                #expect(loc == location, "\(path) \(body): \(String(buffer: response.body))")
            }
            let list = try await client.send(.get, "/admin/databases", headers: asAdmin)
            #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == 2)
        }
    }

    /// Passwords in URLs and options named like secrets read `***`.
    @Test func secretsAreNeverReturned() async throws {
        try await gateway().test { client in
            let body = #"{"adapter":"postgres","options":{"url":"postgresql://evalgw:hunter2@127.0.0.1:1/tenant","schema":"ai"}}"#
            let put = try await client.send(.put, "/admin/databases/pg", json: body, headers: asAdmin)
            #expect(put.status == .created, "\(String(buffer: put.body))")
            for response in [put, try await client.send(.get, "/admin/databases/pg", headers: asAdmin), try await client.send(.get, "/admin/databases", headers: asAdmin)] {
                let text = String(buffer: response.body)
                #expect(!text.contains("hunter2"), "\(text)")
                #expect(text.contains("postgresql://evalgw:***@127.0.0.1:1/tenant"), "\(text)")
            }
        }
    }

    @Test func verifyRefusesADatabaseThatCannotBeReached() async throws {
        try await gateway().test { client in
            let body = #"{"adapter":"postgres","options":{"url":"postgresql://nobody@127.0.0.1:1/none","connect_timeout_seconds":1}}"#
            let response = try await client.send(.put, "/admin/databases/unreachable?verify=true", json: body, headers: asAdmin)
            #expect(response.status == .unprocessableContent)
            #expect(response.detail == "Database 'unreachable' cannot be reached with these options")
            #expect(try await client.send(.get, "/admin/databases/unreachable", headers: asAdmin).status == .notFound)
            // Without verify, the database is registered and not contacted.
            #expect(try await client.send(.put, "/admin/databases/unreachable", json: body, headers: asAdmin).status == .created)
        }
    }

    @Test func tokensAreShownOnceAndWorkAtOnce() async throws {
        try await gateway().test { client in
            let put = try await client.send(.put, "/admin/tokens/ci", json: #"{"scopes":["evals:read"],"databases":["scratch"],"rate":{"requests_per_second":100}}"#, headers: asAdmin)
            #expect(put.status == .created)
            let secret = try #require(put.object["token"] as? String)
            #expect(secret.hasPrefix("egw_"))
            #expect(put.object["name"] as? String == "ci")
            #expect(put.object["databases"] as? [String] == ["scratch"])

            let asCI: HTTPFields = [.authorization: "Bearer \(secret)"]
            #expect(try await client.send(.get, "/eval-runs?db_id=scratch", headers: asCI).status == .ok)
            // Its databases only: another one is as unknown to it as one that does not exist.
            let foreign = try await client.send(.get, "/eval-runs?db_id=local", headers: asCI)
            #expect(foreign.status == .notFound && foreign.detail == "No database found with id 'local'")

            let list = try await client.send(.get, "/admin/tokens", headers: asAdmin)
            let text = String(buffer: list.body)
            #expect(!text.contains(secret) && !text.contains("admin-secret"))
            let tokens = try #require(list.object["data"] as? [[String: Any]])
            #expect(tokens.map { $0["name"] as? String } == ["ci", "platform-admin", "reader"])
            #expect(tokens.first?["source"] as? String == "api")

            #expect(try await client.send(.delete, "/admin/tokens/ci", headers: asAdmin).status == .noContent)
            #expect(try await client.send(.get, "/eval-runs?db_id=scratch", headers: asCI).status == .unauthorized)
            #expect(try await client.send(.delete, "/admin/tokens/ci", headers: asAdmin).status == .notFound)
            #expect(try await client.send(.delete, "/admin/tokens/platform-admin", headers: asAdmin).status == .conflict)
        }
    }

    @Test func theAdminAPINeedsTheAdminScope() async throws {
        try await gateway().test { client in
            let asReader: HTTPFields = [.authorization: "Bearer reader-secret"]
            for (method, path) in [(HTTPRequest.Method.get, "/admin/databases"), (.put, "/admin/databases/x"), (.get, "/admin/tokens"), (.delete, "/admin/tokens/reader")] {
                let response = try await client.send(method, path, json: method == .put ? #"{"adapter":"memory"}"# : nil, headers: asReader)
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            #expect(try await client.send(.get, "/admin/databases").status == .unauthorized)
        }
    }
}
