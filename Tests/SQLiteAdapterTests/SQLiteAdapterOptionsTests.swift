import EvalGatewayCore
import Foundation
import Logging
import SQLiteAdapter
import Testing

/// The `sqlite` kind's options: what it accepts, the key a bad value is reported under, and the folders
/// it creates.
@Suite struct SQLiteAdapterOptionsTests {
    private func configuration(_ options: [String: ConfigValue], tables: [String] = ["agno_eval_runs"]) -> DatabaseConfiguration {
        DatabaseConfiguration(id: "local", adapter: "sqlite", tables: tables, options: AdapterOptions(options, path: "databases[0]"))
    }

    private func problemKey(_ options: [String: ConfigValue], tables: [String] = ["agno_eval_runs"]) -> String? {
        do {
            try SQLiteAdapter().validate(configuration(options, tables: tables))
            return nil
        } catch {
            return error.key
        }
    }

    @Test func kindAndOptions() {
        let adapter = SQLiteAdapter()
        #expect(adapter.kind == "sqlite")
        #expect(adapter.optionKeys == ["path", "busy_timeout_ms", "read_connections", "idle_timeout_seconds", "pool_timeout_ms", "statement_timeout_ms"])
    }

    @Test func badOptionsNameTheirKey() {
        let path = ConfigValue.string("./data/evals.sqlite")
        #expect(problemKey([:]) == "databases[0].path")
        #expect(problemKey(["path": .string("")]) == "databases[0].path")
        #expect(problemKey(["path": path, "busy_timeout_ms": .integer(-1)]) == "databases[0].busy_timeout_ms")
        #expect(problemKey(["path": path, "busy_timeout_ms": .integer(600_001)]) == "databases[0].busy_timeout_ms")
        #expect(problemKey(["path": path, "busy_timeout_ms": .string("soon")]) == "databases[0].busy_timeout_ms")
        #expect(problemKey(["path": path], tables: ["ok", "bad\"name"]) == "databases[0].tables[1]")
        #expect(problemKey(["path": path], tables: ["nul\u{0}name"]) == "databases[0].tables[0]")
        #expect(problemKey(["path": path, "busy_timeout_ms": .integer(0)], tables: ["runs", "MixedCase Table"]) == nil)
    }

    @Test func makeStoreCreatesTheFileAndItsFolders() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-sqlite-options-\(UUID().uuidString)/a/b").path
        let store = try await SQLiteAdapter().makeStore(for: configuration(["path": .string(folder + "/evals.sqlite")]), logger: Logger(label: "test"))
        try await store.ping()
        #expect(FileManager.default.fileExists(atPath: folder + "/evals.sqlite"))
        await store.shutdown()
    }
}
