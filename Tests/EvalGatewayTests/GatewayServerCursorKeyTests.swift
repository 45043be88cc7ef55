import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Logging
import Testing

/// The assembled gateway seals cursors with its registry store's shared key: two gateways over one
/// registry accept each other's cursors (as a fleet must), a gateway over another registry does not.
@Suite struct GatewayServerCursorKeyTests {
    func server(registryPath: String) async throws -> GatewayServer {
        let configuration = try GatewayConfiguration.parse(yaml: """
            registry: { adapter: sqlite, path: "\(registryPath)" }
            databases: [{ id: a, adapter: memory }]
            metrics: { enabled: false }
            """, registry: .builtIn)
        return try await GatewayServer(configuration: configuration, registry: .builtIn, logger: Logger(label: "test"))
    }

    @Test func gatewaysOnOneRegistryShareTheCursorKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-cursor-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let first = try await server(registryPath: "\(directory)/registry.sqlite")
        let second = try await server(registryPath: "\(directory)/registry.sqlite")
        let elsewhere = try await server(registryPath: "\(directory)/other-registry.sqlite")
        let sealed = first.services.cursors.seal("1700000000000\njob-abcdefghij", purpose: "batch-evaluations/v2", scope: "a")
        #expect(second.services.cursors.open(sealed, purpose: "batch-evaluations/v2", scope: "a") == "1700000000000\njob-abcdefghij")
        #expect(elsewhere.services.cursors.open(sealed, purpose: "batch-evaluations/v2", scope: "a") == nil)
        for server in [first, second, elsewhere] { await server.services.catalog.shutdown() }
    }
}
