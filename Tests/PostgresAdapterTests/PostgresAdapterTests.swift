import AdapterConformance
import EvalGatewayCore
import Foundation
import PostgresAdapter
import Testing

/// Behaviours of the Postgres adapter beyond the shared contract, on a real server.
@Suite(.enabled(if: PostgresTestEnvironment.isAvailable, "EVALGW_TEST_POSTGRES_URL is not set"))
struct PostgresAdapterTests {
    @Test func agnoMadeTableIsServedAsIs() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let quoted = PostgresTestEnvironment.quote(schema)
            // The table as an older Agno made it: json (not jsonb) columns, its own indexes.
            try await admin.execute("CREATE SCHEMA \(quoted)")
            try await admin.execute("""
                CREATE TABLE \(quoted).agno_eval_runs (
                    run_id VARCHAR NOT NULL PRIMARY KEY, eval_type VARCHAR NOT NULL,
                    eval_data JSON NOT NULL, eval_input JSON NOT NULL,
                    name VARCHAR, agent_id VARCHAR, team_id VARCHAR, workflow_id VARCHAR, model_id VARCHAR,
                    model_provider VARCHAR, evaluated_component_name VARCHAR, user_id VARCHAR,
                    created_at BIGINT NOT NULL, updated_at BIGINT)
                """)
            try await admin.execute("CREATE INDEX idx_agno_eval_runs_created_at ON \(quoted).agno_eval_runs (created_at)")
            try await admin.execute("""
                INSERT INTO \(quoted).agno_eval_runs (run_id, eval_type, eval_data, eval_input, name, agent_id, team_id,
                    workflow_id, model_id, model_provider, evaluated_component_name, user_id, created_at, updated_at) VALUES
                ('agno-1', 'accuracy', '{"z": 1, "a": {"y": [1, "two", null], "b": 2.5}}', '{"input": "2+2?"}',
                    'First', 'agent-1', NULL, NULL, 'gpt-4o', 'openai', 'Support agent', 'user-1', 1700000000, 1700000100),
                ('agno-2', 'performance', '{}', '{}', NULL, NULL, 'team-1', NULL, NULL, NULL, NULL, NULL, 1700000200, NULL),
                ('agno-3', 'reliability', '{"passed": true}', '{}', NULL, NULL, NULL, 'wf-1', NULL, NULL, NULL, NULL, 1700000100, NULL)
                """)

            let store = try PostgresTestEnvironment.makeStore(schema: schema)
            let page = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            #expect(page.runs.map(\.id) == ["agno-2", "agno-3", "agno-1"])
            #expect(page.totalCount == 3)

            let first = try #require(try await store.evalRun(id: "agno-1", in: "agno_eval_runs"))
            #expect(first == EvalRun(
                id: "agno-1", agentID: "agent-1", modelID: "gpt-4o", modelProvider: "openai", name: "First",
                evaluatedComponentName: "Support agent", userID: "user-1", evalType: .accuracy,
                // A json column keeps the text as it was written: spacing and member order included.
                evalData: try JSONText(validating: #"{"z": 1, "a": {"y": [1, "two", null], "b": 2.5}}"#),
                evalInput: try JSONText(validating: #"{"input": "2+2?"}"#),
                createdAt: 1_700_000_000, updatedAt: 1_700_000_100
            ))
            let bare = try #require(try await store.evalRun(id: "agno-2", in: "agno_eval_runs"))
            #expect(bare.name == nil && bare.agentID == nil && bare.userID == nil && bare.updatedAt == nil)
            #expect(bare.teamID == "team-1")

            let teams = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(componentType: .team))
            #expect(teams.runs.map(\.id) == ["agno-2"])
            let byName = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(sortBy: .name, sortOrder: .ascending))
            #expect(byName.runs.map(\.id) == ["agno-2", "agno-3", "agno-1"], "nulls first ascending, ties by run id")

            // Writes go into the json columns as they are.
            _ = try await store.createEvalRun(EvalRun(id: "gw-1", evalType: .agentAsJudge, evalData: try JSONText(validating: #"{ "k":false, "a":2.0 }"#), createdAt: 1_700_000_300), in: "agno_eval_runs")
            let renamed = try await store.renameEvalRun(id: "agno-3", to: "Renamed", at: 1_800_000_000, in: "agno_eval_runs")
            #expect(renamed.name == "Renamed" && renamed.updatedAt == 1_800_000_000 && renamed.evalData.text == #"{"passed": true}"#)
            #expect(try await store.evalRun(id: "gw-1", in: "agno_eval_runs")?.evalData.text == #"{ "k":false, "a":2.0 }"#)

            let deletion = try await store.deleteEvalRuns(ids: ["agno-1", "agno-2", "nope", "agno-1"], in: "agno_eval_runs", returningRemovedIDs: true, audit: .forTests())
            #expect(deletion.deletedCount == 2)
            #expect(Set(deletion.removedIDs ?? []) == ["agno-1", "agno-2"])
            let left = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            #expect(left.runs.map(\.id) == ["gw-1", "agno-3"])

            // No migration: the columns are still json, and no index was added.
            let types = try await admin.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'agno_eval_runs' AND column_name IN ('eval_data', 'eval_input')",
                [schema]
            )
            #expect(types.map { $0[0] } == ["json", "json"])
            let indexes = try await admin.value("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND tablename = 'agno_eval_runs'", [schema])
            #expect(indexes == "2", "the primary key and Agno's created_at index, nothing added")
            // Beside Agno's table, the gateway's own audit trail, which the delete wrote to.
            #expect(try await admin.value("SELECT count(*) FROM \(PostgresTestEnvironment.quote(schema)).evalgw_audit WHERE kind = 'ids' AND deleted = 2") == "1")
            await store.shutdown()
        }
    }

    @Test func createdTablesFollowAgnoSchema() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let store = try PostgresTestEnvironment.makeStore(schema: schema)
            // Made, the store has connected to nothing; its first operation creates the tables.
            #expect(try await admin.value("SELECT to_regnamespace($1)::text", [schema]) == nil)
            #expect(store.backendProcessIDs.isEmpty)
            #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()).totalCount == 0)
            let columns = try await admin.execute(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'agno_eval_runs' ORDER BY ordinal_position",
                [schema]
            )
            #expect(columns.map { $0.compactMap { $0 }.joined(separator: " ") } == [
                "run_id character varying NO", "eval_type character varying NO", "eval_data jsonb NO", "eval_input jsonb NO",
                "name character varying YES", "agent_id character varying YES", "team_id character varying YES",
                "workflow_id character varying YES", "model_id character varying YES", "model_provider character varying YES",
                "evaluated_component_name character varying YES", "user_id character varying YES",
                "created_at bigint NO", "updated_at bigint YES",
            ])
            let indexes = try await admin.execute("SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'agno_eval_runs' ORDER BY indexname", [schema])
            #expect(indexes.map { $0[0] } == ["agno_eval_runs_pkey", "idx_agno_eval_runs_created_at", "idx_agno_eval_runs_user_id"])
            await store.shutdown()
        }
    }

    /// With `create_tables: false`, a database served as it is keeps batch evaluations off when their
    /// table is missing (no DDL, no failing runner polls), and on once the table exists.
    @Test func withoutCreateTablesTheJobsTableMustExist() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            try await admin.execute("CREATE SCHEMA \(PostgresTestEnvironment.quote(schema))")
            // Nothing is known before the first job operation, which finds the table missing: it is
            // refused as invalid (400 on the AgentCore surface), and the database stops offering jobs.
            let served = try PostgresTestEnvironment.makeStore(schema: schema) { $0.createTables = false }
            let offered = try #require(served.batchEvaluations)
            await #expect(throws: StorageError.self) { _ = try await offered.listBatchEvaluations(limit: 1, after: nil) }
            #expect(served.batchEvaluations == nil)
            await served.shutdown()
            #expect(try await admin.value("SELECT to_regclass($1)::text", ["\(schema).evalgw_batch_evaluations"]) == nil)

            let creating = try PostgresTestEnvironment.makeStore(schema: schema)
            let jobs = try #require(creating.batchEvaluations)
            #expect(try await jobs.listBatchEvaluations(limit: 1, after: nil).jobs.isEmpty)
            await creating.shutdown()

            let existing = try PostgresTestEnvironment.makeStore(schema: schema) { $0.createTables = false }
            #expect(existing.batchEvaluations != nil)
            await existing.shutdown()
        }
    }

    @Test func terminatedConnectionIsReplaced() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let store = try PostgresTestEnvironment.makeStore(schema: schema) { $0.maxConnections = 1 }
            _ = try await store.createEvalRun(EvalRun(id: "a", evalType: .accuracy, createdAt: 1), in: "agno_eval_runs")
            _ = try await store.createEvalRun(EvalRun(id: "b", evalType: .accuracy, createdAt: 2), in: "agno_eval_runs")

            // Terminated and gone: the next read and the next write both succeed on a new connection.
            let first = try #require(store.backendProcessIDs.first)
            #expect(try await admin.value("SELECT pg_terminate_backend($1, 10000)", [String(first)]) == "t")
            #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()).totalCount == 2)
            let second = try #require(store.backendProcessIDs.first)
            #expect(second != first)
            #expect(try await admin.value("SELECT pg_terminate_backend($1, 10000)", [String(second)]) == "t")
            #expect(try await store.deleteEvalRuns(ids: ["a"], in: "agno_eval_runs", returningRemovedIDs: false, audit: .forTests()).deletedCount == 1)

            // Terminated without waiting for the backend to go: the call right after still succeeds.
            for _ in 0..<5 {
                let pid = try #require(store.backendProcessIDs.first)
                try await admin.execute("SELECT pg_terminate_backend($1)", [String(pid)])
                #expect(try await store.evalRun(id: "b", in: "agno_eval_runs")?.id == "b")
            }
            await store.shutdown()
        }
    }

    @Test func millionIDDeleteCountsExactly() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let store = try PostgresTestEnvironment.makeStore(schema: schema)
            _ = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
            let table = "\(PostgresTestEnvironment.quote(schema)).agno_eval_runs"
            // 10,000 of the million ids exist, spread through the list, plus one row that must survive.
            try await admin.execute("""
                INSERT INTO \(table) (run_id, eval_type, eval_data, eval_input, created_at)
                SELECT 'bulk-' || g, 'accuracy', '{}', '{}', 1700000000 FROM generate_series(0, 999999, 100) AS g
                """)
            _ = try await store.createEvalRun(EvalRun(id: "survivor", evalType: .accuracy, createdAt: 1), in: "agno_eval_runs")
            let ids = (0..<1_000_000).map { "bulk-\($0)" }
            let start = ContinuousClock.now
            let deletion = try await store.deleteEvalRuns(ids: ids, in: "agno_eval_runs", returningRemovedIDs: false, audit: .forTests())
            let elapsed = ContinuousClock.now - start
            print("1,000,000-id delete (10,000 present): \(elapsed)")
            #expect(deletion.deletedCount == 10_000)
            #expect(try await admin.value("SELECT count(*) FROM \(table)") == "1")

            let again = try await store.deleteEvalRuns(ids: ids, in: "agno_eval_runs", returningRemovedIDs: true, audit: .forTests())
            #expect(again.deletedCount == 0 && again.removedIDs == [])
            await store.shutdown()
        }
    }

    @Test func hostileTableNamesStayIdentifiers() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let hostile = [
                "evil\"; DROP TABLE sentinel; --",
                "Robert'); DROP TABLE sentinel;--",
                "MixedCase Table",
                "$1 ? ::text[]",
            ]
            try await admin.execute("CREATE SCHEMA \(PostgresTestEnvironment.quote(schema))")
            try await admin.execute("CREATE TABLE \(PostgresTestEnvironment.quote(schema)).sentinel (id int)")
            let store = try PostgresTestEnvironment.makeStore(schema: schema, tables: hostile)
            for table in hostile {
                _ = try await store.createEvalRun(EvalRun(id: "x", name: table, evalType: .accuracy, createdAt: 1), in: table)
                #expect(try await store.evalRun(id: "x", in: table)?.name == table)
                #expect(try await store.listEvalRuns(in: table, matching: EvalRunQuery(sortBy: .name)).runs.count == 1)
                _ = try await store.renameEvalRun(id: "x", to: "renamed", at: 2, in: table)
                #expect(try await store.deleteEvalRuns(ids: ["x"], in: table, returningRemovedIDs: false, audit: .forTests()).deletedCount == 1)
            }
            let tables = try await admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'evalgw_audit' ORDER BY tablename COLLATE \"C\"", [schema])
            #expect(tables.map { $0[0] ?? "" } == (hostile + ["sentinel"]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

            // A name the store was not opened with never reaches SQL.
            await #expect(throws: StorageError.invalid("Unknown table 'sentinel'")) {
                _ = try await store.listEvalRuns(in: "sentinel", matching: EvalRunQuery())
            }
            await store.shutdown()
        }
    }

    @Test func schemaQualifiedTableNames() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let other = schema + "_other"
            let store = try PostgresTestEnvironment.makeStore(schema: schema, tables: ["agno_eval_runs", "\(other).agno_eval_runs"])
            _ = try await store.createEvalRun(EvalRun(id: "in-other", evalType: .accuracy, createdAt: 1), in: "\(other).agno_eval_runs")
            #expect(try await store.evalRun(id: "in-other", in: "agno_eval_runs") == nil)
            #expect(try await admin.value("SELECT count(*) FROM \(PostgresTestEnvironment.quote(other)).agno_eval_runs") == "1")
            await store.shutdown()
            try await admin.execute("DROP SCHEMA \(PostgresTestEnvironment.quote(other)) CASCADE")
        }
    }

    @Test func waitingForAConnectionIsBounded() async throws {
        try await PostgresTestEnvironment.withSchema { schema, admin in
            let store = try PostgresTestEnvironment.makeStore(schema: schema) {
                $0.maxConnections = 1
                $0.poolTimeoutMilliseconds = 2_000
            }
            // The only connection (opened first, within the pool timeout even on a busy machine) is busy for
            // up to a minute.
            try await store.ping()
            let pool = store.connectionPool
            let holder = Task {
                try await pool.run(.idempotent) { connection in _ = try await connection.execute("SELECT pg_sleep(60)") }
            }
            await pool.waitUntil { $0 == PoolStatistics(inUse: 1, idle: 0, waiting: 0) }

            // A caller gives up after the pool timeout instead of waiting for it.
            let start = ContinuousClock.now
            await #expect { try await store.ping() } throws: { error in
                (error as? StorageError)?.kind == .unavailable
            }
            #expect(ContinuousClock.now - start < .seconds(30), "the wait was not bounded by pool_timeout_ms")

            // Release the connection; the store works again.
            let pid = try #require(store.backendProcessIDs.first)
            try await admin.execute("SELECT pg_cancel_backend($1)", [String(pid)])
            await #expect(throws: PostgresError.self) { try await holder.value }
            try await store.ping()
            #expect(store.poolStatistics == PoolStatistics(inUse: 0, idle: 1, waiting: 0))
            await store.shutdown()
            #expect(store.poolStatistics == PoolStatistics(inUse: 0, idle: 0, waiting: 0))
        }
    }

    @Test func statementTimeoutIsUnavailable() async throws {
        try await PostgresTestEnvironment.withSchema { schema, _ in
            let store = try PostgresTestEnvironment.makeStore(schema: schema) { $0.statementTimeoutMilliseconds = 100 }
            do {
                try await store.connectionPool.run(.idempotent) { connection in _ = try await connection.execute("SELECT pg_sleep(2)") }
                Issue.record("pg_sleep(2) outlived a 100 ms statement timeout")
            } catch {
                #expect((error as? PostgresError)?.sqlState == "57014")
                #expect(PostgresEvalRunStore.storageError(error).kind == .unavailable)
            }
            try await store.ping()
            await store.shutdown()
        }
    }

    @Test func jsonTheColumnCannotHoldIsInvalid() async throws {
        try await PostgresTestEnvironment.withSchema { schema, _ in
            let store = try PostgresTestEnvironment.makeStore(schema: schema)
            await #expect { _ = try await store.createEvalRun(EvalRun(id: "nul", evalType: .accuracy, evalData: try JSONText(validating: #"{"text":"a\u0000b"}"#), createdAt: 1), in: "agno_eval_runs") } throws: { error in
                guard let error = error as? StorageError, case .invalid(let message) = error else { return false }
                return !message.contains("INSERT") && !message.contains("\\u0000")
            }
            #expect(try await store.evalRun(id: "nul", in: "agno_eval_runs") == nil)
            await store.shutdown()
        }
    }

    @Test func arrayLiteralRoundTripsEveryString() async throws {
        let admin = PostgresAdmin(url: try PostgresTestEnvironment.requireURL())
        let values = ["", "NULL", "null", "\"", "\\", "\\\"", "a,b", "{x}", "}", " padded ", "tab\there", "new\nline", "ünï-日本-🚀", "'", "$1"]
        let rows = try await admin.execute("SELECT u FROM unnest($1::text[]) WITH ORDINALITY AS t(u, n) ORDER BY n", [PostgresArrayLiteral.text(values)])
        #expect(rows.map { $0[0] } == values.map { Optional($0) })
        await admin.close()
    }
}

/// A store whose server cannot be reached opens anyway and reports every operation as unavailable.
/// Needs no server: it points at a loopback port nobody listens on.
@Suite struct PostgresUnreachableServerTests {
    @Test func storeOpensAndReportsUnavailable() async throws {
        let url = "postgresql://postgres@127.0.0.1:\(try closedLoopbackPort())/postgres"
        // Opening does not throw.
        let store = try PostgresEvalRunStore(settings: PostgresStoreSettings(url: url, connectTimeoutSeconds: 2), tables: ["agno_eval_runs"])

        func expectUnavailable(_ what: String, _ body: () async throws -> Void) async {
            do {
                try await body()
                Issue.record("\(what) succeeded with the server down")
            } catch let error as StorageError {
                #expect(error.kind == .unavailable, "\(what): \(error)")
                if case .unavailable(_, let retryAfter) = error { #expect(retryAfter > 0) }
            } catch {
                Issue.record("\(what) threw \(type(of: error)), not a StorageError: \(error)")
            }
        }
        await expectUnavailable("ping") { try await store.ping() }
        await expectUnavailable("list") { _ = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()) }
        await expectUnavailable("get") { _ = try await store.evalRun(id: "a", in: "agno_eval_runs") }
        await expectUnavailable("create") { _ = try await store.createEvalRun(EvalRun(id: "a", evalType: .accuracy, createdAt: 1), in: "agno_eval_runs") }
        await expectUnavailable("rename") { _ = try await store.renameEvalRun(id: "a", to: "b", at: 1, in: "agno_eval_runs") }
        await expectUnavailable("delete") { _ = try await store.deleteEvalRuns(ids: ["a"], in: "agno_eval_runs", returningRemovedIDs: false, audit: .forTests()) }
        await store.shutdown()
    }

    /// A loopback TCP port that was free a moment ago (bound, read, closed).
    private func closedLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EBADF) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress -> Bool in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
