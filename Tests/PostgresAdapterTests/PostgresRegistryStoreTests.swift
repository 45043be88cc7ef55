import AdapterConformance
import EvalGatewayCore
import Logging
import PostgresAdapter
import Synchronization
import Testing

/// The Postgres registry store keeps the registry store contract on a real server, pushes changes to
/// other gateways with `LISTEN`/`NOTIFY`, and two stores over one schema act as two gateways of a fleet.
@Suite struct PostgresRegistryStoreTests {
    static func store(schema: String) throws -> PostgresRegistryStore {
        let settings = PostgresStoreSettings(url: try PostgresTestEnvironment.requireURL(), schema: schema, maxConnections: 2, poolTimeoutMilliseconds: 30_000, applicationName: "evalgw-registry-tests")
        return try PostgresRegistryStore(settings: settings, logger: Logger(label: "test"))
    }

    @Test(.enabled(if: PostgresTestEnvironment.isAvailable, "EVALGW_TEST_POSTGRES_URL is not set"), arguments: RegistryStoreSuite.checkNames)
    func registryContract(_ check: String) async throws {
        let schema = Mutex<String?>(nil)
        let suite = RegistryStoreSuite(
            name: "postgres",
            reopen: { try Self.store(schema: schema.withLock { $0! }) },
            makeStore: {
                let fresh = PostgresTestEnvironment.uniqueName("evalgw_registry")
                schema.withLock { $0 = fresh }
                return try Self.store(schema: fresh)
            }
        )
        let results = await suite.run(only: [check])
        if let used = schema.withLock({ $0 }) {
            let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
            try await admin.execute("DROP SCHEMA IF EXISTS \(PostgresTestEnvironment.quote(used)) CASCADE")
            await admin.close()
        }
        for result in results {
            #expect(result.didNotFail, "\(result)")
            #expect(result.outcome == .passed, "every registry check runs on Postgres: \(result)")
        }
    }

    /// A write through one gateway's store is pushed to another's listener, without polling.
    @Test(.enabled(if: PostgresTestEnvironment.isAvailable, "EVALGW_TEST_POSTGRES_URL is not set"))
    func aWriteIsPushedToAnotherGateway() async throws {
        try await PostgresTestEnvironment.withSchema { schema, _ in
            let writer = try Self.store(schema: schema)
            let listener = try Self.store(schema: schema)
            let heard = Mutex<[RegistryNotification]>([])
            let notifications = try #require(listener.notifications())
            let listening = Task { for await notification in notifications { heard.withLock { $0.append(notification) } } }
            // The listening connection opens in the background: write until a notification arrives.
            var written: Int64 = 0
            for attempt in 0..<20 where !heard.withLock({ $0.contains { if case .changed(let v) = $0 { v >= written && written > 0 } else { false } } }) {
                written = try await writer.put(RegistryEntry(kind: .database, name: "t\(attempt)", definition: "{}", createdAt: 1, updatedAt: 1)).entry.version
                try await Task.sleep(for: .milliseconds(250))
            }
            await writer.publish(.jobStarted(databaseID: "tenant-x"))
            let deadline = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < deadline, !heard.withLock({ $0.contains(.jobStarted(databaseID: "tenant-x")) }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            listening.cancel()
            #expect(heard.withLock { $0.contains(.changed(version: written)) })
            #expect(heard.withLock { $0.contains(.jobStarted(databaseID: "tenant-x")) })
            await writer.close()
            await listener.close()
        }
    }
}
