import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import ThirdPartyAdapterExample

/// A third-party adapter kind — the example package's `jsonfile` (Examples/JSONFileAdapter, whose own
/// tests and `swift package conformance` run the suite on it) — registers beside the built-in kinds and
/// is served through configuration; a kind nobody registered fails at start.
@Suite struct ThirdPartyAdapterTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-jsonfile-\(UUID().uuidString)").path
    }

    @Test func itIsServedThroughConfiguration() async throws {
        var registry = AdapterRegistry.builtIn
        registry.register(JSONFileAdapter())
        let directory = Self.temporaryDirectory()
        let configuration = try GatewayConfiguration.parse(
            yaml: """
                default_db: files
                databases:
                  - { id: files, adapter: jsonfile, directory: "\(directory)" }
                  - { id: scratch, adapter: memory }
                """,
            registry: registry
        )
        let server = try await GatewayServer(configuration: configuration, registry: registry, logger: Logger(label: "test"))
        let app = Application(router: buildGatewayRouter(services: server.services))
        try await app.test(.router) { client in
            let created = try await client.execute(uri: "/eval-runs", method: .post, body: ByteBuffer(string: #"{"id":"from-http","eval_type":"accuracy","eval_data":{"score":3}}"#))
            #expect(created.status == .created)
            let deleted = try await client.execute(uri: "/eval-runs?db_id=files", method: .delete, body: ByteBuffer(string: #"{"eval_run_ids":["from-http","other"]}"#))
            #expect(deleted.status == .noContent)
            #expect(deleted.headers[.xDeletedCount] == "1")
        }
        let file = try String(contentsOfFile: directory + "/agno_eval_runs.json", encoding: .utf8)
        let contents = try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any]
        #expect((contents?["runs"] as? [Any])?.isEmpty == true, "the file reflects the delete: \(file)")
        // The delete's audit record, written with it, with the principal of an open gateway.
        let audit = contents?["audit"] as? [[String: Any]]
        #expect(audit?.map { $0["deleted"] as? Int } == [1])
        #expect(audit?.first?["principal"] as? String == "open")
    }

    @Test func anUnregisteredKindFailsAtStartNamingTheKey() {
        #expect(throws: ConfigurationError.self) {
            try GatewayConfiguration.parse(yaml: "databases: [{id: files, adapter: jsonfile, directory: /tmp/x}]", registry: .builtIn)
        }
    }
}
