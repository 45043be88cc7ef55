import AdapterConformance
import EvalGatewayCore
import Foundation
import SQLiteAdapter
import Testing

/// Behaviours of the SQLite adapter beyond the shared contract, on real files.
@Suite struct SQLiteAdapterTests {
    /// `agno_eval_runs` exactly as Agno 3.1.10 (`agno.db.sqlite.SqliteDb`, through SQLAlchemy) creates it,
    /// with its schema-versions table and indexes.
    static let agnoDDL: [String] = [
        "CREATE TABLE agno_eval_runs (\n\t" + [
            "run_id VARCHAR NOT NULL", "eval_type VARCHAR NOT NULL", "eval_data JSON NOT NULL", "eval_input JSON NOT NULL",
            "name VARCHAR", "agent_id VARCHAR", "team_id VARCHAR", "workflow_id VARCHAR", "model_id VARCHAR", "model_provider VARCHAR",
            "evaluated_component_name VARCHAR", "user_id VARCHAR", "created_at BIGINT NOT NULL", "updated_at BIGINT", "PRIMARY KEY (run_id)",
        ].joined(separator: ", \n\t") + "\n)",
        "CREATE TABLE agno_schema_versions (\n\t" + [
            "table_name VARCHAR NOT NULL", "version VARCHAR NOT NULL", "created_at VARCHAR NOT NULL", "updated_at VARCHAR", "PRIMARY KEY (table_name)",
        ].joined(separator: ", \n\t") + "\n)",
        "CREATE INDEX idx_agno_eval_runs_created_at ON agno_eval_runs (created_at)",
        "CREATE INDEX idx_agno_eval_runs_user_id ON agno_eval_runs (user_id)",
        "CREATE INDEX idx_agno_schema_versions_created_at ON agno_schema_versions (created_at)",
    ]

    /// Rows as Agno 3.1.10 writes them (`SqliteDb.create_eval_run`): JSON from Python's `json.dumps`
    /// (spaces after separators, non-ASCII as `\u` escapes, `10.0` for floats), a missing `eval_input` as
    /// the JSON text `null`, and `updated_at` equal to `created_at`.
    static let agnoRows = #"""
        INSERT INTO agno_eval_runs VALUES('agno-acc-1','accuracy','{"eval_status": "PASSED", "results": [{"input": "What is 10*5?", "score": 10.0, "output": "50"}], "avg_score": 10.0, "\u00fcn\u00ef": "\u65e5\u672c"}','{"expected_output": "50", "num_iterations": 1}','Arithmetic','support-agent',NULL,NULL,'gpt-4o','OpenAI','Support agent',NULL,1796163922,1796163922);
        INSERT INTO agno_eval_runs VALUES('agno-perf-2','performance','{"run_times": [0.25, 0.5]}','null',NULL,NULL,'team-1',NULL,NULL,NULL,NULL,NULL,1796163925,1796163925);
        INSERT INTO agno_schema_versions VALUES('agno_eval_runs','3.0.0','2026-12-01T22:25:22.781782','2026-12-01T22:25:22.781782');
        """#

    @Test func agnoMadeFileIsServedAsIs() async throws {
        let path = temporarySQLitePath()
        let agno = try SQLiteTestFile(path)
        try agno.execute("PRAGMA journal_mode=WAL")
        for statement in Self.agnoDDL { try agno.execute(statement) }
        try agno.execute(Self.agnoRows)
        let schemaBefore = try agno.rows("SELECT type, name, sql FROM sqlite_master WHERE name LIKE '%agno%' ORDER BY name")

        let store = SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])
        let page = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery())
        #expect(page.runs.map(\.id) == ["agno-perf-2", "agno-acc-1"])
        #expect(page.totalCount == 2)

        let accuracy = try #require(try await store.evalRun(id: "agno-acc-1", in: "agno_eval_runs"))
        #expect(accuracy.evalType == .accuracy && accuracy.name == "Arithmetic" && accuracy.agentID == "support-agent")
        #expect(accuracy.modelID == "gpt-4o" && accuracy.modelProvider == "OpenAI" && accuracy.evaluatedComponentName == "Support agent")
        #expect(accuracy.createdAt == 1_796_163_922 && accuracy.updatedAt == 1_796_163_922 && accuracy.userID == nil)
        let evalData = try accuracy.evalData.parsed()
        #expect(evalData["eval_status"] == .string("PASSED"))
        #expect(evalData["ünï"] == .string("日本"), "Python's \\u escapes are valid JSON, served as Agno wrote them")
        #expect(evalData["avg_score"].flatMap(Self.number) == 10)
        #expect(try accuracy.evalInput.parsed() == .object(["expected_output": .string("50"), "num_iterations": .integer(1)]))
        let performance = try #require(try await store.evalRun(id: "agno-perf-2", in: "agno_eval_runs"))
        #expect(performance.evalInput.isNull, "Agno writes a missing eval_input as the JSON text null")
        #expect(performance.teamID == "team-1")
        #expect(try performance.evalData.parsed() == .object(["run_times": .array([.number(0.25), .number(0.5)])]))

        #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(componentType: .team)).runs.map(\.id) == ["agno-perf-2"])
        #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(evalTypes: [.accuracy])).runs.map(\.id) == ["agno-acc-1"])
        let byName = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery(sortBy: .name, sortOrder: .ascending))
        #expect(byName.runs.map(\.id) == ["agno-perf-2", "agno-acc-1"], "nulls first ascending")

        // Writes land in Agno's table as they are, beside Agno's rows.
        _ = try await store.createEvalRun(EvalRun(id: "gw-1", evalType: .reliability, evalData: JSONText(.object(["passed": .bool(true)])), createdAt: 1_796_163_930), in: "agno_eval_runs")
        let renamed = try await store.renameEvalRun(id: "agno-acc-1", to: "Renamed", at: 1_800_000_000, in: "agno_eval_runs")
        #expect(renamed.name == "Renamed" && renamed.updatedAt == 1_800_000_000 && renamed.evalInput == accuracy.evalInput)
        let deletion = try await store.deleteEvalRuns(ids: ["agno-perf-2", "nope", "agno-perf-2"], in: "agno_eval_runs", returningRemovedIDs: true, audit: .forTests())
        #expect(deletion.deletedCount == 1 && deletion.removedIDs == ["agno-perf-2"])
        await store.shutdown()

        // No migration: Agno's tables and indexes are as Agno made them, its version row untouched, and
        // the only things added are the gateway's own tables: the audit trail and the batch-evaluation jobs.
        #expect(try agno.rows("SELECT type, name, sql FROM sqlite_master WHERE name LIKE '%agno%' ORDER BY name") == schemaBefore)
        #expect(try agno.rows("SELECT version FROM agno_schema_versions") == [["3.0.0"]])
        let added = try agno.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%agno%' ORDER BY name").map { $0[0] ?? "" }
        #expect(added == ["evalgw_audit", "evalgw_batch_evaluations"])
        #expect(try agno.rows("SELECT kind, deleted FROM evalgw_audit") == [["ids", "1"]], "the delete's audit record")
        #expect(try agno.value("SELECT eval_data FROM agno_eval_runs WHERE run_id = 'agno-acc-1'")?.contains(#""\u00fcn\u00ef""#) == true, "Agno's row text is not rewritten")
        #expect(try agno.rows("SELECT run_id FROM agno_eval_runs ORDER BY run_id") == [["agno-acc-1"], ["gw-1"]])
    }

    @Test func createdTablesFollowAgnoSchema() async throws {
        let path = temporarySQLitePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])
        try await store.ping()  // the first operation creates the file and its tables
        await store.shutdown()
        let file = try SQLiteTestFile(path)
        let columns = try file.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info('agno_eval_runs') ORDER BY cid")
        #expect(columns.map { $0.compactMap { $0 }.joined(separator: " ") } == [
            "run_id VARCHAR 1 1", "eval_type VARCHAR 1 0", "eval_data JSON 1 0", "eval_input JSON 1 0", "name VARCHAR 0 0",
            "agent_id VARCHAR 0 0", "team_id VARCHAR 0 0", "workflow_id VARCHAR 0 0", "model_id VARCHAR 0 0", "model_provider VARCHAR 0 0",
            "evaluated_component_name VARCHAR 0 0", "user_id VARCHAR 0 0", "created_at BIGINT 1 0", "updated_at BIGINT 0 0",
        ])
        let indexes = try file.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'agno_eval_runs' ORDER BY name").map { $0[0] ?? "" }
        #expect(indexes == ["idx_agno_eval_runs_created_at", "idx_agno_eval_runs_user_id", "sqlite_autoindex_agno_eval_runs_1"])
        #expect(try file.value("PRAGMA journal_mode") == "wal")
    }

    @Test func hostileTableNamesStayIdentifiers() async throws {
        let hostile = ["evil; DROP TABLE sentinel; --", "Robert'); DROP TABLE sentinel;--", "MixedCase Table", "$1 ? ::text[]", "ünï-日本"]
        let path = temporarySQLitePath()
        let file = try SQLiteTestFile(path)
        try file.execute("CREATE TABLE sentinel (id INTEGER)")
        let store = SQLiteEvalRunStore(path: path, tables: hostile)
        for table in hostile {
            _ = try await store.createEvalRun(EvalRun(id: "x", name: table, evalType: .accuracy, createdAt: 1), in: table)
            #expect(try await store.evalRun(id: "x", in: table)?.name == table)
            #expect(try await store.listEvalRuns(in: table, matching: EvalRunQuery(sortBy: .name)).runs.count == 1)
            _ = try await store.renameEvalRun(id: "x", to: "renamed", at: 2, in: table)
            #expect(try await store.deleteEvalRuns(ids: ["x"], in: table, returningRemovedIDs: false, audit: .forTests()).deletedCount == 1)
        }
        let tables = try file.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('evalgw_batch_evaluations', 'evalgw_audit')").map { $0[0] ?? "" }
        #expect(Set(tables) == Set(hostile + ["sentinel"]))

        // A name the store was not opened with never reaches SQL.
        await #expect(throws: StorageError.invalid("Unknown table 'sentinel'")) {
            _ = try await store.listEvalRuns(in: "sentinel", matching: EvalRunQuery())
        }
        await store.shutdown()
    }

    /// Another program holding the write lock makes writes unavailable (503 upstream) after the busy
    /// timeout, changes nothing, and the store works again once the lock is gone.
    @Test func aLockedFileIsUnavailableAndRecovers() async throws {
        let path = temporarySQLitePath()
        let other = try SQLiteTestFile(path)
        let store = SQLiteEvalRunStore(settings: SQLiteStoreSettings(path: path, busyTimeoutMilliseconds: 50), tables: ["agno_eval_runs"])
        _ = try await store.createEvalRun(EvalRun(id: "kept", evalType: .accuracy, createdAt: 1), in: "agno_eval_runs")

        try other.execute("BEGIN EXCLUSIVE")
        await #expect { _ = try await store.deleteEvalRuns(ids: ["kept"], in: "agno_eval_runs", returningRemovedIDs: false, audit: .forTests()) } throws: { error in
            guard case .unavailable(_, let retryAfter)? = error as? StorageError else { return false }
            return retryAfter > 0
        }
        try other.execute("ROLLBACK")
        #expect(try await store.evalRun(id: "kept", in: "agno_eval_runs") != nil)
        #expect(try await store.deleteEvalRuns(ids: ["kept"], in: "agno_eval_runs", returningRemovedIDs: false, audit: .forTests()).deletedCount == 1)
        await store.shutdown()
    }

    /// A file that cannot be made (its folder would be under a regular file) fails the first operation
    /// with a storage error — the store opens nothing before it is used — and nothing is created.
    @Test func anUnopenableFileFailsItsFirstOperation() async throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-blocker-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a folder".utf8)))
        let path = blocker + "/deeper/evals.sqlite"
        let store = SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])
        await #expect(throws: StorageError.self) { _ = try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()) }
        #expect(!FileManager.default.fileExists(atPath: path))
        await store.shutdown()
    }

    /// Text another tool stored in a JSON column that is not JSON is served as a string, not dropped.
    @Test func storedTextThatIsNotJSONIsServedAsAString() async throws {
        let path = temporarySQLitePath()
        let file = try SQLiteTestFile(path)
        let store = SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])
        try await store.ping()  // the first operation creates the tables
        try file.execute("INSERT INTO agno_eval_runs (run_id, eval_type, eval_data, eval_input, created_at) VALUES ('odd', 'accuracy', 'not json', '{}', 1)")
        let run = try #require(try await store.evalRun(id: "odd", in: "agno_eval_runs"))
        #expect(try run.evalData.parsed() == .string("not json"))
        await store.shutdown()
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }
}
