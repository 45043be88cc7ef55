import AdapterConformance
import EvalGatewayCore
import Foundation
import SQLiteAdapter
import Synchronization
import Testing

/// The SQLite registry store keeps the registry store contract on a real file, and what it holds
/// survives a restart (a second store over the same file).
@Suite struct SQLiteRegistryStoreTests {
    @Test(arguments: RegistryStoreSuite.checkNames)
    func registryContract(_ check: String) async {
        let path = Mutex<String?>(nil)
        let suite = RegistryStoreSuite(
            name: "sqlite",
            reopen: { try await SQLiteRegistryStore(path: path.withLock { $0! }) },
            makeStore: {
                let fresh = temporarySQLitePath()
                path.withLock { $0 = fresh }
                return try await SQLiteRegistryStore(path: fresh)
            }
        )
        for result in await suite.run(only: [check]) { #expect(result.didNotFail, "\(result)") }
    }

    /// The file is where the embedded default says, and folders are made for it.
    @Test func theFileAndItsFoldersAreCreated() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-registry-\(UUID().uuidString)/nested")
        let path = folder.appendingPathComponent("registry.sqlite").path
        let store = try await SQLiteRegistryStore(path: path)
        _ = try await store.put(RegistryEntry(kind: .database, name: "a", definition: "{}", createdAt: 1, updatedAt: 1))
        await store.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
