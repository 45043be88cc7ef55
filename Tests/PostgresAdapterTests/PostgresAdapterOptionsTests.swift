import EvalGatewayCore
import PostgresAdapter
import Testing

/// The `postgres` kind's options and error mapping; no server needed.
@Suite struct PostgresAdapterOptionsTests {
    private func configuration(_ options: [String: ConfigValue], tables: [String] = ["agno_eval_runs"]) -> DatabaseConfiguration {
        DatabaseConfiguration(id: "tenant", adapter: "postgres", tables: tables, options: AdapterOptions(options, path: "databases[1]"))
    }

    private func problemKey(_ options: [String: ConfigValue], tables: [String] = ["agno_eval_runs"]) -> String? {
        do {
            try PostgresAdapter().validate(configuration(options, tables: tables))
            return nil
        } catch {
            return error.key
        }
    }

    @Test func defaultsAndOptions() throws {
        let adapter = PostgresAdapter()
        #expect(adapter.kind == "postgres")
        #expect(adapter.optionKeys == ["url", "schema", "create_tables", "max_connections", "connect_timeout_seconds", "statement_timeout_ms", "pool_timeout_ms", "idle_timeout_seconds"])
        let defaults = try adapter.settings(for: configuration(["url": .string("postgresql://u@localhost/db")]))
        #expect(defaults.schema == "ai" && defaults.createTables && defaults.maxConnections == 8)
        #expect(defaults.poolTimeoutMilliseconds == 5_000 && defaults.statementTimeoutMilliseconds == 30_000 && defaults.connectTimeoutSeconds == nil)
        #expect(defaults.idleTimeoutSeconds == 300)
        let set = try adapter.settings(for: configuration([
            "url": .string("host=localhost dbname=evals"), "schema": .string("tenant_a"), "create_tables": .bool(false),
            "max_connections": .integer(16), "connect_timeout_seconds": .integer(3), "statement_timeout_ms": .integer(0),
            "pool_timeout_ms": .integer(250),
        ]))
        #expect(set.schema == "tenant_a" && !set.createTables && set.maxConnections == 16 && set.connectTimeoutSeconds == 3)
        #expect(set.statementTimeoutMilliseconds == 0 && set.poolTimeoutMilliseconds == 250)
    }

    @Test func badOptionsNameTheirKey() {
        let url = ConfigValue.string("postgresql://u@localhost/db")
        #expect(problemKey([:]) == "databases[1].url")
        #expect(problemKey(["url": .string("postgresql://[oops")]) == "databases[1].url")
        #expect(problemKey(["url": .string("host=localhost bogus_keyword=1")]) == "databases[1].url")
        #expect(problemKey(["url": url, "max_connections": .integer(0)]) == "databases[1].max_connections")
        #expect(problemKey(["url": url, "create_tables": .string("yes")]) == "databases[1].create_tables")
        #expect(problemKey(["url": url, "pool_timeout_ms": .integer(-1)]) == "databases[1].pool_timeout_ms")
        #expect(problemKey(["url": url, "schema": .string(String(repeating: "s", count: 64))]) == "databases[1].schema")
        #expect(problemKey(["url": url], tables: ["a.b.c"]) == "databases[1].tables[0]")
        #expect(problemKey(["url": url], tables: ["ok", "bad\u{0}name"]) == "databases[1].tables[1]")
        #expect(problemKey(["url": url], tables: ["ok", ".empty_schema"]) == "databases[1].tables[1]")
        #expect(problemKey(["url": url], tables: [String(repeating: "t", count: 64)]) == "databases[1].tables[0]")
        #expect(problemKey(["url": url], tables: ["quoted \"name\"; DROP TABLE x", "other_schema.runs"]) == nil)
    }

    @Test func errorsMapToTheContract() {
        func kind(_ sqlState: String?, _ kind: PostgresError.Kind = .server) -> StorageError.Kind {
            PostgresEvalRunStore.storageError(PostgresError(kind: kind, sqlState: sqlState, message: "driver text", sql: "DELETE FROM secret")).kind
        }
        #expect(kind(nil, .connect) == .unavailable)
        #expect(kind(nil, .connectionLost) == .unavailable)
        #expect(kind("08006") == .unavailable)
        #expect(kind("57P01") == .unavailable)
        #expect(kind("57P02") == .unavailable)
        #expect(kind("57P03") == .unavailable)
        #expect(kind("53300") == .unavailable)
        #expect(kind("57014") == .unavailable)
        #expect(kind("40P01") == .unavailable)
        #expect(kind("23505") == .conflict)
        #expect(kind("22P02") == .invalid)
        #expect(kind("22021") == .invalid)
        #expect(kind("42P01") == .internal)
        #expect(kind(nil, .client) == .internal)

        // Driver text and SQL stay in `underlying`, never in a client message.
        for state in ["23505", "22P02"] {
            let error = PostgresEvalRunStore.storageError(PostgresError(kind: .server, sqlState: state, message: "driver text", sql: "DELETE FROM secret"))
            #expect(!"\(error)".contains("driver text") && !"\(error)".contains("secret"))
        }
    }
}
