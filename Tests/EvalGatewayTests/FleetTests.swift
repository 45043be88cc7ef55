import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresAdapter
import Testing

/// Two gateways sharing one Postgres registry (CI's cluster), as a fleet would: a change made through
/// either is in force on the other, a revoked token is refused everywhere, a gateway that loses the
/// registry keeps serving what it knows, and concurrent writes converge.
///
/// The product's bound is 2 s (a `NOTIFY` arrives in milliseconds; the version check every second is the
/// fallback). These tests allow 5 s, as the test machine may be busy with other suites; the propagation
/// time itself is measured by `Benchmarks/tenants.py`.
@Suite(.serialized) struct FleetTests {
    static let url = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let adminToken = "fleet-admin-\(UUID().uuidString)"
    static let asAdmin: HTTPFields = [.authorization: "Bearer \(adminToken)"]

    /// A gateway of the fleet: the registry in `schema` of `database` on the test server.
    static func gateway(schema: String, database: String? = nil) async throws -> GatewayServer {
        var registryURL = try #require(url)
        if let database { registryURL = registryURL.replacingLastPathComponent(with: database) }
        let yaml = """
            registry: { adapter: postgres, url: "\(registryURL)", schema: \(schema), poll_interval_ms: 1000, connect_timeout_seconds: 2, pool_timeout_ms: 3000 }
            databases: []
            auth:
              tokens:
                - { name: fleet-admin, token: "\(adminToken)", scopes: [admin] }
            batch: { enabled: false }
            """
        let configuration = try GatewayConfiguration.parse(yaml: yaml, registry: .builtIn)
        return try await GatewayServer(configuration: configuration, registry: .builtIn, logger: Logger(label: "fleet"))
    }

    /// Runs `body` with clients of two gateways whose registries are kept in step, as their watch
    /// services do in `evalgw serve`.
    static func withFleet(
        schema: String, database: String? = nil,
        _ body: @escaping @Sendable (GatewayServer, any TestClientProtocol, GatewayServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        let first = try await gateway(schema: schema, database: database)
        let second = try await gateway(schema: schema, database: database)
        let watchers = [first, second].map { server in Task { await server.registry.watch(every: .seconds(1)) } }
        defer { watchers.forEach { $0.cancel() } }
        try await Application(router: buildGatewayRouter(services: first.services)).test(.router) { one in
            try await Application(router: buildGatewayRouter(services: second.services)).test(.router) { two in
                try await body(first, one, second, two)
            }
        }
        await first.registry.close()
        await second.registry.close()
    }

    /// Waits until `condition` holds and returns how long that took, failing after `limit`.
    static func timeUntil(_ limit: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit + .milliseconds(500) {
            if try await condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return ContinuousClock.now - start
    }

    @Test(.enabled(if: url != nil, "EVALGW_TEST_POSTGRES_URL is not set"))
    func aChangeThroughOneGatewayIsInForceOnTheOther() async throws {
        let schema = "evalgw_fleet_\(UInt32.random(in: 0 ... .max))"
        try await Self.withFleet(schema: schema) { _, one, second, two in
            let put = try await one.execute(uri: "/admin/databases/tenant-x", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory"}"#))
            #expect(put.status == .created)
            let served = try await Self.timeUntil { try await two.execute(uri: "/eval-runs?db_id=tenant-x", method: .get, headers: Self.asAdmin, body: nil).status == .ok }
            #expect(served < .seconds(5), "served by the other gateway after \(served)")
            #expect(second.services.catalog.database(id: "tenant-x")?.source == .api)

            let created = try await one.execute(uri: "/admin/tokens/ci", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"scopes":["evals:read"]}"#))
            let secret = try #require((try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any])?["token"] as? String)
            let asCI: HTTPFields = [.authorization: "Bearer \(secret)"]
            let accepted = try await Self.timeUntil { try await two.execute(uri: "/eval-runs?db_id=tenant-x", method: .get, headers: asCI, body: nil).status == .ok }
            #expect(accepted < .seconds(5), "token accepted by the other gateway after \(accepted)")

            #expect(try await one.execute(uri: "/admin/tokens/ci", method: .delete, headers: Self.asAdmin, body: nil).status == .noContent)
            let refused = try await Self.timeUntil { try await two.execute(uri: "/eval-runs?db_id=tenant-x", method: .get, headers: asCI, body: nil).status == .unauthorized }
            #expect(refused < .seconds(5), "revoked token refused by the other gateway after \(refused)")

            #expect(try await two.execute(uri: "/admin/databases/tenant-x", method: .delete, headers: Self.asAdmin, body: nil).status == .noContent)
            let gone = try await Self.timeUntil { try await one.execute(uri: "/eval-runs?db_id=tenant-x", method: .get, headers: Self.asAdmin, body: nil).status == .notFound }
            #expect(gone < .seconds(5), "removal seen by the first gateway after \(gone)")
        }
        try await Self.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    /// The same entry written and removed at once through both gateways: the registry ends in one state
    /// and both gateways agree on it.
    @Test(.enabled(if: url != nil, "EVALGW_TEST_POSTGRES_URL is not set"))
    func concurrentWritesConverge() async throws {
        let schema = "evalgw_fleet_\(UInt32.random(in: 0 ... .max))"
        try await Self.withFleet(schema: schema) { first, one, second, two in
            for round in 0..<10 {
                async let put = one.execute(uri: "/admin/databases/contested", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory","tables":["t\#(round)"]}"#))
                async let delete = two.execute(uri: "/admin/databases/contested", method: .delete, headers: Self.asAdmin, body: nil)
                async let replace = two.execute(uri: "/admin/databases/contested", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory","tables":["u\#(round)"]}"#))
                _ = try await (put, delete, replace)
            }
            // Both gateways serve what the registry holds: the same tables, or both no such database.
            let agreed = try await Self.timeUntil(.seconds(10)) {
                let stored = try await first.registry.registryStore.changes(after: 0).entries.first { $0.kind == .database && $0.name == "contested" }
                let a = first.services.catalog.database(id: "contested")?.configuration.tables
                let b = second.services.catalog.database(id: "contested")?.configuration.tables
                return a == b && (stored == nil) == (a == nil) && (stored.map { $0.definition.contains("\"\(a?.first ?? "")\"") } ?? true)
            }
            #expect(agreed < .seconds(10), "the two gateways agree with the registry after \(agreed)")
        }
        try await Self.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    /// A gateway that cannot reach the registry keeps serving its last known registry, says so on
    /// `/ready`, refuses admin writes with 503, and catches up when the registry is back.
    @Test(.enabled(if: url != nil, "EVALGW_TEST_POSTGRES_URL is not set"))
    func aLostRegistryLeavesTheLastKnownState() async throws {
        let database = "evalgw_fleet_db_\(UInt32.random(in: 0 ... .max))"
        try await Self.execute("CREATE DATABASE \(database)")
        do {
            try await lastKnownState(database: database)
        } catch {
            try? await Self.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            throw error
        }
        try await Self.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }

    private func lastKnownState(database: String) async throws {
        try await Self.withFleet(schema: "evalgw", database: database) { first, one, _, two in
            #expect(try await one.execute(uri: "/admin/databases/kept", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory"}"#)).status == .created)
            _ = try await Self.timeUntil { try await two.execute(uri: "/eval-runs?db_id=kept", method: .get, headers: Self.asAdmin, body: nil).status == .ok }

            try await Self.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
            try await Self.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
            let stale = try await Self.timeUntil(.seconds(5)) { first.registry.isStale }
            #expect(first.registry.isStale, "stale after \(stale)")
            #expect(try await one.execute(uri: "/eval-runs?db_id=kept", method: .get, headers: Self.asAdmin, body: nil).status == .ok)
            let ready = try await one.execute(uri: "/ready", method: .get, headers: Self.asAdmin, body: nil)
            #expect(String(buffer: ready.body).contains(#""registry":"stale""#), "\(String(buffer: ready.body))")
            let refused = try await one.execute(uri: "/admin/databases/new", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory"}"#))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(try await one.execute(uri: "/eval-runs?db_id=new", method: .get, headers: Self.asAdmin, body: nil).status == .notFound)

            try await Self.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
            let back = try await Self.timeUntil(.seconds(5)) { !first.registry.isStale }
            #expect(!first.registry.isStale, "caught up after \(back)")
            #expect(try await one.execute(uri: "/admin/databases/new", method: .put, headers: Self.asAdmin, body: ByteBuffer(string: #"{"adapter":"memory"}"#)).status == .created)
        }
    }

    /// Runs one statement on the test server's default database.
    static func execute(_ sql: String) async throws {
        let connection = try await PostgresConnection.connect(PostgresConnectionParameters(url: try #require(url)))
        defer { connection.close() }
        try await connection.execute(sql)
    }
}

extension String {
    /// A `postgresql://…/db` URL with its database replaced.
    func replacingLastPathComponent(with database: String) -> String {
        guard let query = firstIndex(of: "?") ?? Optional(endIndex), let slash = self[..<query].lastIndex(of: "/") else { return self }
        return String(self[...slash]) + database + String(self[query...])
    }
}
