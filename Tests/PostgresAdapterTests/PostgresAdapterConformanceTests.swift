import AdapterConformance
import EvalGatewayCore
import PostgresAdapter
import Testing

/// The Postgres adapter keeps the storage contract, on a real server (`EVALGW_TEST_POSTGRES_URL`).
///
/// Each check gets a schema of its own, dropped afterwards. The outage check gets a database of its
/// own: the outage closes that database to new connections (`ALLOW_CONNECTIONS false`) and terminates
/// its sessions, so no other test running at the same time is disturbed.
@Suite struct PostgresAdapterConformanceTests {
    static let outageCheck = "outage-is-unavailable-and-recovers"

    @Test(
        .enabled(if: PostgresTestEnvironment.isAvailable, "EVALGW_TEST_POSTGRES_URL is not set"),
        arguments: ConformanceSuite.checkNames
    )
    func conformance(_ check: String) async throws {
        let url = try PostgresTestEnvironment.requireURL()
        let schema = PostgresTestEnvironment.uniqueName("evalgw_conformance")
        let admin = PostgresAdmin(url: url)
        let database: String? = check == Self.outageCheck ? PostgresTestEnvironment.uniqueName("evalgw_outage") : nil
        if let database { try await admin.execute("CREATE DATABASE \(PostgresTestEnvironment.quote(database))") }

        let simulateOutage = database.map { Self.outage(of: $0, admin: admin) }
        let target = ConformanceTarget(name: "postgres", capabilities: [.persistence], simulateOutage: simulateOutage) { tables in
            // The race checks put hundreds of operations on the pool of 8 while the rest of the suite runs:
            // they check outcomes, so a wait for a connection is not cut at the default 5 s.
            var settings = PostgresStoreSettings(url: url, schema: schema, poolTimeoutMilliseconds: 60_000, applicationName: "evalgw-conformance")
            if let database { settings.connectionOverrides["dbname"] = database }
            return try PostgresEvalRunStore(settings: settings, tables: tables)
        }

        let result = await ConformanceSuite(target: target).run(checkNamed: check)
        if let database {
            try await admin.execute("DROP DATABASE IF EXISTS \(PostgresTestEnvironment.quote(database)) WITH (FORCE)")
        } else {
            try await admin.execute("DROP SCHEMA IF EXISTS \(PostgresTestEnvironment.quote(schema)) CASCADE")
        }
        await admin.close()
        #expect(result.didNotFail, "\(result)")
        if check == Self.outageCheck {
            #expect(result.outcome == .passed, "the outage check must run, not be skipped: \(result)")
        }
    }

    /// Takes `database` down for its store: closes it to new connections and terminates its sessions.
    /// The returned closure reopens it.
    static func outage(of database: String, admin: PostgresAdmin) -> @Sendable (any EvalRunStore) async throws -> @Sendable () async throws -> Void {
        { _ in
            let quoted = PostgresTestEnvironment.quote(database)
            try await admin.execute("ALTER DATABASE \(quoted) ALLOW_CONNECTIONS false")
            try await admin.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                [database]
            )
            let restore: @Sendable () async throws -> Void = {
                try await admin.execute("ALTER DATABASE \(quoted) ALLOW_CONNECTIONS true")
            }
            return restore
        }
    }

    /// On CI the Postgres tests must run: a missing server URL is a failure, not a silent skip.
    @Test(.enabled(if: PostgresTestEnvironment.isCI && !PostgresTestEnvironment.isAvailable, "runs only on CI without a server URL"))
    func serverIsConfiguredOnCI() {
        Issue.record("CI=true but EVALGW_TEST_POSTGRES_URL is not set: the Postgres adapter tests need a PostgreSQL server")
    }
}
