import AdapterConformance
import EvalGatewayCore
import MemoryAdapter
import Testing

/// The memory adapter keeps the storage contract.
@Suite struct MemoryAdapterConformanceTests {
    static let target = ConformanceTarget(name: "memory", capabilities: [.verbatimJSON]) { tables in MemoryEvalRunStore(tables: tables) }

    @Test(arguments: ConformanceSuite.checkNames)
    func conformance(_ check: String) async {
        let result = await ConformanceSuite(target: Self.target).run(checkNamed: check)
        #expect(result.didNotFail, "\(result)")
    }
}
