import AdapterConformance
import EvalGatewayCore
import Foundation
import JSONFileAdapter
import Logging
import Testing

/// A folder of its own under the temporary directory.
func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("jsonfile-tests-\(UUID().uuidString)").path
}

/// The `jsonfile` adapter keeps EvalGateway's storage contract, and its files are what it says they are.
@Suite struct JSONFileAdapterTests {
    static let target = ConformanceTarget(name: "jsonfile", capabilities: [.persistence]) { tables in
        try JSONFileStore(directory: temporaryDirectory(), tables: tables)
    }

    /// One test per check of the suite, so a failure names the rule that broke.
    @Test(arguments: ConformanceSuite.checkNames)
    func conformance(_ check: String) async {
        let result = await ConformanceSuite(target: Self.target).run(checkNamed: check)
        #expect(result.didNotFail, "\(result)")
    }

    @Test func eachTableIsAFileThatAReopenedStoreReads() async throws {
        let directory = temporaryDirectory()
        let store = try JSONFileStore(directory: directory, tables: ["runs", "other"])
        _ = try await store.createEvalRun(EvalRun(id: "r1", name: "first", evalType: .accuracy, evalData: JSONText(.object(["score": .integer(3)])), createdAt: 1), in: "runs")
        _ = try await store.createEvalRun(EvalRun(id: "r2", evalType: .performance, createdAt: 2), in: "runs")
        _ = try await store.deleteEvalRuns(ids: ["r2"], in: "runs", returningRemovedIDs: false, audit: .forTests())

        // Only a changed table has a file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["runs.json"])
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/runs.json"))) as? [String: Any]
        let records = file?["runs"] as? [[String: Any]]
        #expect(records?.map { $0["id"] as? String } == ["r1"])
        // The delete's audit record is in the same file, written by the same rename.
        let audit = file?["audit"] as? [[String: Any]]
        #expect(audit?.map { $0["deleted"] as? Int } == [1])

        let reopened = try JSONFileStore(directory: directory, tables: ["runs", "other"])
        #expect(try await reopened.evalRun(id: "r1", in: "runs")?.name == "first")
        #expect(try await reopened.evalRun(id: "r2", in: "runs") == nil)
        #expect(try await reopened.auditRecords(matching: AuditQuery()).records.map(\.deleted) == [1])
    }

    @Test func configurationProblemsNameTheirKey() async throws {
        let adapter = JSONFileAdapter()
        #expect(adapter.kind == "jsonfile")
        func problemKey(_ options: [String: ConfigValue], tables: [String] = ["agno_eval_runs"]) -> String? {
            do {
                try adapter.validate(DatabaseConfiguration(id: "files", adapter: "jsonfile", tables: tables, options: AdapterOptions(options, path: "databases[0]")))
                return nil
            } catch {
                return error.key
            }
        }
        #expect(problemKey([:]) == "databases[0].directory")
        #expect(problemKey(["directory": .string("/tmp/x")], tables: ["ok", "../escape"]) == "databases[0].tables[1]")
        #expect(problemKey(["directory": .string("/tmp/x")], tables: [".hidden"]) == "databases[0].tables[0]")
        #expect(problemKey(["directory": .string("/tmp/x")]) == nil)

        let configuration = DatabaseConfiguration(id: "files", adapter: "jsonfile", options: AdapterOptions(["directory": .string(temporaryDirectory())]))
        let store = try await adapter.makeStore(for: configuration, logger: Logger(label: "test"))
        try await store.ping()
        #expect(try await store.listEvalRuns(in: "agno_eval_runs", matching: EvalRunQuery()).totalCount == 0)
    }
}
