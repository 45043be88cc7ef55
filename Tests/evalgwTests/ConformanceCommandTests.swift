import AdapterConformance
import Foundation
import Testing

/// `evalgw conformance` over the built-in kinds: the report it prints, how an adapter's options are
/// given, and what it says when it cannot run.
@Suite struct ConformanceCommandTests {
    @Test func listNamesEveryCheck() async {
        let run = await CommandRun.evalgw(["conformance", "--list"])
        #expect(run.exitCode == 0)
        #expect(run.lines.map { String($0.prefix { $0 != ":" }) } == ConformanceSuite.checkNames)
    }

    @Test func theMemoryKindPassesTheChecksItIsGiven() async {
        let run = await CommandRun.evalgw(["conformance", "--adapter", "memory", "--only", "create-then-get-round-trips", "delete-is-idempotent"])
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.lines.first == "== memory (memory)")
        #expect(run.lines.last == "2 passed, 0 failed, 0 skipped")
    }

    @Test func sqliteGetsATemporaryFileOrTheGivenPath() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-cli-\(UUID().uuidString).sqlite").path
        let run = await CommandRun.evalgw(["conformance", "--adapter", "sqlite", "--option", "path=\(path)", "--option", "busy_timeout_ms=1000", "--only", "tables-are-independent"])
        #expect(run.lines.last == "1 passed, 0 failed, 0 skipped", "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [
        (["conformance"], "give --config FILE [--db-id ID] or --adapter KIND (registered: memory, postgres, sqlite)"),
        (["conformance", "--url", "postgresql://127.0.0.1:1/x"], "give --config FILE [--db-id ID] or --adapter KIND"),
        (["conformance", "--adapter", "postgres"], "--adapter postgres: url: is required (set it with --option url=VALUE)"),
        (["conformance", "--adapter", "sqlite", "--option", "busy_timeout_ms=-5"], "--adapter sqlite: busy_timeout_ms:"),
        (["conformance", "--adapter", "cassandra"], "unknown adapter 'cassandra' (registered: memory, postgres, sqlite)"),
        (["conformance", "--config", "/nonexistent/gateway.yaml"], "/nonexistent/gateway.yaml"),
    ])
    func whatItCannotRunIsAUsageError(_ arguments: [String], _ message: String) async {
        let run = await CommandRun.evalgw(arguments)
        #expect(run.exitCode != 0, "\(arguments)")
        #expect(run.errorText.contains(message), "\(arguments): \(run.errorText)")
        #expect(!run.lines.contains { $0.hasSuffix("skipped") }, "nothing ran")
    }
}
