import AdapterConformance
import EvalGatewayCore
import MemoryAdapter
import Testing

/// The memory registry store keeps the registry store contract.
@Suite struct MemoryRegistryStoreTests {
    @Test(arguments: RegistryStoreSuite.checkNames)
    func registryContract(_ check: String) async {
        let suite = RegistryStoreSuite(name: "memory") { MemoryRegistryStore() }
        for result in await suite.run(only: [check]) { #expect(result.didNotFail, "\(result)") }
    }
}
