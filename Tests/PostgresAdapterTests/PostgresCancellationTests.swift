import EvalGatewayCore
import PostgresAdapter
import Testing

/// A statement whose caller goes away, or that passes its deadline, is stopped on the server
/// (`PQcancel`): it is gone from `pg_stat_activity` within a second, and the connection serves the next
/// statement. And connections come and go with use: none before the first request, none after the idle
/// timeout (on a manual clock).
@Suite(.enabled(if: PostgresTestEnvironment.isAvailable, "EVALGW_TEST_POSTGRES_URL is not set"))
struct PostgresCancellationTests {
    /// Whether backend `pid` is running a statement, per `pg_stat_activity`.
    static func isActive(_ pid: Int32, admin: PostgresAdmin) async throws -> Bool {
        try await admin.value("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [String(pid)]) == "1"
    }

    /// Waits (checking the server, at most `limit`) until backend `pid` runs no statement.
    static func expectIdle(_ pid: Int32, admin: PostgresAdmin, within limit: Duration) async throws {
        let start = ContinuousClock.now
        while try await isActive(pid, admin: admin) {
            guard ContinuousClock.now - start < limit else {
                Issue.record("backend \(pid) still runs its statement after \(limit)")
                return
            }
        }
    }

    static func connect(statementTimeoutMilliseconds: Int? = nil) async throws -> PostgresConnection {
        try await PostgresConnection.connect(PostgresConnectionParameters(
            url: try PostgresTestEnvironment.requireURL(), overrides: [("client_encoding", "UTF8")],
            statementTimeoutMilliseconds: statementTimeoutMilliseconds
        ))
    }

    @Test func aCancelledTaskStopsItsStatementOnTheServer() async throws {
        let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
        let connection = try await Self.connect()
        let sleeper = Task { try await connection.execute("SELECT pg_sleep(30)") }
        while try await !Self.isActive(connection.backendProcessID, admin: admin) {}
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { _ = try await sleeper.value }
        try await Self.expectIdle(connection.backendProcessID, admin: admin, within: .seconds(1))
        #expect(ContinuousClock.now - cancelled < .seconds(1))
        #expect(try await connection.execute("SELECT 1").string(0, 0) == "1", "the connection serves the next statement")
        connection.close()
        await admin.close()
    }

    @Test func aFiredCancellationSignalStopsItsStatementOnTheServer() async throws {
        let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
        let connection = try await Self.connect()
        let signal = CancellationSignal()
        let sleeper = Task {
            try await CancellationSignal.$current.withValue(signal) { try await connection.execute("SELECT pg_sleep(30)") }
        }
        while try await !Self.isActive(connection.backendProcessID, admin: admin) {}
        signal.fire()
        await #expect(throws: CancellationError.self) { _ = try await sleeper.value }
        try await Self.expectIdle(connection.backendProcessID, admin: admin, within: .seconds(1))
        connection.close()
        await admin.close()
    }

    /// The client enforces the statement timeout itself, even when the session's own `statement_timeout`
    /// is off (a pooler in between, a role that overrides it).
    @Test func aStatementPastItsDeadlineIsCancelledByTheClient() async throws {
        let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
        let connection = try await Self.connect(statementTimeoutMilliseconds: 300)
        try await connection.execute("SET statement_timeout = 0")
        let start = ContinuousClock.now
        await #expect {
            try await connection.execute("SELECT pg_sleep(30)")
        } throws: { error in
            (error as? PostgresError)?.sqlState == "57014" && PostgresEvalRunStore.storageError(error).kind == .unavailable
        }
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(try await !Self.isActive(connection.backendProcessID, admin: admin))
        #expect(try await connection.execute("SELECT 1").string(0, 0) == "1")
        connection.close()
        await admin.close()
    }

    /// A short deadline is kept while the I/O thread already waits for a later one (another connection's
    /// statement with a long timeout): the new deadline wakes it.
    @Test func aShortDeadlineIsKeptWhileALongerOneIsPending() async throws {
        let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
        let patient = try await Self.connect(statementTimeoutMilliseconds: 60_000)
        let hurried = try await Self.connect(statementTimeoutMilliseconds: 300)
        try await hurried.execute("SET statement_timeout = 0")
        let long = Task { try await patient.execute("SELECT pg_sleep(6)") }
        while try await !Self.isActive(patient.backendProcessID, admin: admin) {}
        let start = ContinuousClock.now
        await #expect(throws: PostgresError.self) { try await hurried.execute("SELECT pg_sleep(30)") }
        #expect(ContinuousClock.now - start < .seconds(3), "cancelled after \(ContinuousClock.now - start), not at its own 300 ms deadline")
        _ = try await long.value
        patient.close()
        hurried.close()
        await admin.close()
    }

    @Test func aStoreConnectsOnFirstUseAndClosesIdleConnectionsOnItsClock() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let clock = ManualClock()
            let name = PostgresTestEnvironment.uniqueName("evalgw-idle")
            var settings = PostgresStoreSettings(url: try PostgresTestEnvironment.requireURL(), schema: schema, applicationName: name)
            settings.maxConnections = 4
            let store = try PostgresEvalRunStore(settings: settings, tables: ["agno_eval_runs"], clock: AnyClock(clock))
            func sessions() async throws -> String? {
                try await admin.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", [name])
            }
            #expect(try await sessions() == "0", "made, the store connects to nothing")

            // Two at once: two connections.
            async let first = store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            async let second = store.evalRun(id: "x", in: "agno_eval_runs")
            _ = try await (first, second)
            // A connection opened for the second request may still be coming up after the first served it.
            await store.connectionPool.waitUntil { $0.inUse == 0 && $0.waiting == 0 }
            let open = store.poolStatistics
            #expect(open.inUse == 0 && open.idle >= 1 && open.waiting == 0)
            #expect(try await sessions() == String(open.idle))

            clock.advance(by: .seconds(299))
            #expect(store.poolStatistics.idle == open.idle)
            clock.advance(by: .seconds(1))
            await store.connectionPool.waitUntil { $0.idle == 0 && $0.inUse == 0 }
            #expect(store.backendProcessIDs.isEmpty)
            // The server ends the sessions once they said goodbye.
            let start = ContinuousClock.now
            while try await sessions() != "0", ContinuousClock.now - start < .seconds(5) {}
            #expect(try await sessions() == "0")

            // Used again, it connects again.
            #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()).totalCount == 0)
            #expect(try await sessions() == "1")
            await store.shutdown()
        }
    }

    /// Stores draw their connections from the gateway's budget: at the limit, the connection idle the
    /// longest in another store closes to make room.
    @Test func storesShareTheGatewaysConnectionBudget() async throws {
        try await PostgresTestEnvironment.withSchema { schema, _ in
            let budget = GatewayConnectionBudget(limit: 1)
            let settings = PostgresStoreSettings(url: try PostgresTestEnvironment.requireURL(), schema: schema, applicationName: "evalgw-tests")
            let first = try PostgresEvalRunStore(settings: settings, tables: ["agno_eval_runs"], budget: budget)
            let second = try PostgresEvalRunStore(settings: settings, tables: ["agno_eval_runs"], budget: budget)
            #expect(budget.reserved == 0, "made, the stores hold nothing")

            _ = try await first.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            #expect(first.poolStatistics == PoolStatistics(inUse: 0, idle: 1, waiting: 0))
            #expect(budget.reserved == 1)

            _ = try await second.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            await first.connectionPool.waitUntil { $0.idle == 0 }
            #expect(first.backendProcessIDs.isEmpty, "the first store's idle connection gave way")
            #expect(second.backendProcessIDs.count == 1)
            await first.shutdown()
            await second.shutdown()
            #expect(budget.reserved == 0)
        }
    }
}
