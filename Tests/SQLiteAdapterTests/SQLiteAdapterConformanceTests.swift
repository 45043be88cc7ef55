import AdapterConformance
import EvalGatewayCore
import Foundation
import SQLiteAdapter
import Testing

/// A fresh SQLite file in a temporary folder.
func temporarySQLitePath() -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-tests-\(UUID().uuidString)")
    return folder.appendingPathComponent("evals.sqlite").path
}

/// The SQLite adapter keeps the storage contract, on a real file.
@Suite struct SQLiteAdapterConformanceTests {
    static let target = ConformanceTarget(name: "sqlite", capabilities: [.persistence, .verbatimJSON]) { tables in
        let path = temporarySQLitePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return SQLiteEvalRunStore(path: path, tables: tables)
    }

    @Test(arguments: ConformanceSuite.checkNames)
    func conformance(_ check: String) async {
        let result = await ConformanceSuite(target: Self.target).run(checkNamed: check)
        #expect(result.didNotFail, "\(result)")
    }
}
