import EvalGatewayCore
import EvalGatewayHTTP
import Hummingbird
import HummingbirdTesting
import Testing

/// Bearer tokens: 401 without or with a wrong token, 403 outside scope or tenant, /health open.
@Suite struct AuthTests {
    static let tokens = [
        AccessToken(name: "reader", secret: "read-token", scopes: [.read], databases: ["*"]),
        AccessToken(name: "tenant", secret: "tenant-token", scopes: [.read, .write, .delete], databases: ["scratch"]),
        AccessToken(name: "admin", secret: "admin-token", scopes: [.admin], databases: ["*"]),
    ]

    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func missingAndWrongTokensAre401() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            let missing = try await client.send(.get, "/eval-runs?db_id=local")
            #expect(missing.status == .unauthorized)
            #expect(missing.detail == "Authorization header required")
            #expect(missing.errorCode == "UNAUTHENTICATED")
            let basic = try await client.send(.get, "/eval-runs?db_id=local", headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.detail == "Authorization header required")
            let wrong = try await client.send(.get, "/eval-runs?db_id=local", headers: bearer("nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.detail == "Invalid authentication token")
        }
    }

    @Test func authenticationComesBeforeValidationAndResolution() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            let response = try await client.send(.delete, "/eval-runs?db_id=nowhere", json: #"{"eval_run_ids":[]}"#)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func scopesAreEnforced() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            #expect(try await client.send(.get, "/eval-runs?db_id=local", headers: bearer("read-token")).status == .ok)
            let delete = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["a"]}"#, headers: bearer("read-token"))
            #expect(delete.status == .forbidden)
            #expect(delete.errorCode == "FORBIDDEN")
            let create = try await client.send(.post, "/eval-runs?db_id=local", json: #"{"eval_type":"accuracy","eval_data":{}}"#, headers: bearer("read-token"))
            #expect(create.status == .forbidden)
            let admin = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["a"]}"#, headers: bearer("admin-token"))
            #expect(admin.status == .noContent)
        }
    }

    @Test func tenantsAreEnforcedAfterResolution() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            let own = try await client.send(.post, "/eval-runs?db_id=scratch", json: #"{"eval_type":"accuracy","eval_data":{}}"#, headers: bearer("tenant-token"))
            #expect(own.status == .created)
            let other = try await client.send(.get, "/eval-runs?db_id=local", headers: bearer("tenant-token"))
            // Another tenant's database is answered exactly as one that does not exist.
            #expect(other.status == .notFound)
            #expect(other.detail == "No database found with id 'local'")
            let unknown = try await client.send(.get, "/eval-runs?db_id=ghost", headers: bearer("tenant-token"))
            #expect(unknown.status == .notFound)
            #expect(unknown.detail == "No database found with id 'ghost'")
        }
    }

    @Test func opsRoutesAreOpen() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            let health = try await client.send(.get, "/health")
            let document = try await client.send(.get, "/openapi.json")
            #expect(health.status == .ok)
            #expect(document.status == .ok)
        }
    }
}
