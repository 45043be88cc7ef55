import EvalGatewayCore
import EvalGatewayHTTP
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// `GET /config` in the shape of Agno's `ConfigResponse`, from the live registry, filtered by token.
@Suite struct ConfigRouteTests {
    @Test func listsTheDatabasesAndTheirEvalTables() async throws {
        let gateway = try await TestGateway.make(extraTables: ["archive"])
        try await gateway.test { client in
            let response = try await client.send(.get, "/config")
            #expect(response.status == .ok)
            #expect(response.object["os_id"] as? String == "evalgw")
            #expect(response.object["databases"] as? [String] == ["local", "scratch"])
            let evals = try #require(response.object["evals"] as? [String: Any])
            let dbs = try #require(evals["dbs"] as? [[String: Any]])
            #expect(dbs.map { $0["db_id"] as? String } == ["local", "scratch"])
            #expect(dbs.first?["tables"] as? [String] == ["agno_eval_runs", "archive"])
            #expect((dbs.first?["domain_config"] as? [String: Any])?["display_name"] as? String == "local")
            for key in ["agents", "teams", "workflows", "interfaces", "available_models"] {
                #expect((response.object[key] as? [Any])?.isEmpty == true, "\(key)")
            }
        }
    }

    @Test func aScopedTokenSeesOnlyItsDatabases() async throws {
        let tenant = AccessToken(name: "tenant", secret: "t", scopes: [.read], databases: ["scratch"])
        let writer = AccessToken(name: "writer", secret: "w", scopes: [.write], databases: ["*"])
        let gateway = try await TestGateway.make(tokens: [tenant, writer], registryStore: MemoryRegistryStore())
        try await gateway.test { client in
            let response = try await client.send(.get, "/config", headers: [.authorization: "Bearer t"])
            #expect(response.object["databases"] as? [String] == ["scratch"])
            #expect(!String(buffer: response.body).contains("local"))
            #expect(try await client.send(.get, "/config", headers: [.authorization: "Bearer w"]).status == .forbidden)
            #expect(try await client.send(.get, "/config").status == .unauthorized)
        }
    }

    @Test func followsTheRegistry() async throws {
        let gateway = try await TestGateway.make(registryStore: MemoryRegistryStore())
        try await gateway.test { client in
            #expect(try await client.send(.put, "/admin/databases/tenant-new", json: #"{"adapter":"memory","tables":["evals"]}"#).status == .created)
            let response = try await client.send(.get, "/config")
            #expect(response.object["databases"] as? [String] == ["local", "scratch", "tenant-new"])
        }
    }
}
