import AdapterConformance
import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import ThirdPartyAdapterExample

/// A third-party adapter passes the suite, registers its kind, and is served through configuration.
@Suite struct ThirdPartyAdapterTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-jsonfile-\(UUID().uuidString)").path
    }

    static let target = ConformanceTarget(name: "jsonfile", capabilities: [.persistence, .verbatimJSON]) { tables in
        try JSONFileStore(directory: temporaryDirectory(), tables: tables)
    }

    @Test(arguments: ConformanceSuite.checkNames)
    func conformance(_ check: String) async {
        let result = await ConformanceSuite(target: Self.target).run(checkNamed: check)
        #expect(result.didNotFail, "\(result)")
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
        #expect(file == "[]", "the file reflects the delete: \(file)")
    }

    @Test func anUnregisteredKindFailsAtStartNamingTheKey() {
        #expect(throws: ConfigurationError.self) {
            try GatewayConfiguration.parse(yaml: "databases: [{id: files, adapter: jsonfile, directory: /tmp/x}]", registry: .builtIn)
        }
    }
}
