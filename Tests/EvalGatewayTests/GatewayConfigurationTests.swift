import EvalGateway
import EvalGatewayCore
import Foundation
import Testing

/// The configuration file: the shipped default, `${ENV}` expansion, and failures that name the key.
@Suite struct GatewayConfigurationTests {
    func parse(_ yaml: String, environment: [String: String] = [:]) throws -> GatewayConfiguration {
        try GatewayConfiguration.parse(yaml: yaml, registry: .builtIn, environment: environment)
    }

    func problem(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try parse(yaml, environment: environment)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test func theShippedDefaultIsSQLiteAndMemory() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = try GatewayConfiguration.load(path: packageRoot.appendingPathComponent("config/gateway.yaml").path, registry: .builtIn)
        #expect(configuration.databases.map(\.id) == ["local", "scratch"])
        #expect(configuration.databases.map(\.adapter) == ["sqlite", "memory"])
        #expect(configuration.databases[0].tables == ["agno_eval_runs"])
        #expect(configuration.defaultDatabaseID == nil)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 7070)
        #expect(configuration.tokens.isEmpty)
        #expect(configuration.limits.maxIDsPerRequest == 1_000_000)
        #expect(configuration.limits.maxBodyBytes == 67_108_864)
    }

    @Test func environmentReferencesAreExpanded() throws {
        let configuration = try parse("""
            server: { port: "${PORT}" }
            databases:
              - { id: a, adapter: sqlite, path: "${DATA}/a.sqlite" }
            auth:
              tokens:
                - { token: "${TOKEN}", scopes: [evals:read], databases: [a] }
            """, environment: ["PORT": "9000", "DATA": "/tmp/x", "TOKEN": "s3cret"])
        #expect(configuration.port == 9000)
        #expect(try configuration.databases[0].options.string("path") == "/tmp/x/a.sqlite")
        #expect(configuration.tokens[0].secret == "s3cret")
        #expect(configuration.tokens[0].scopes == [.read])
    }

    @Test func problemsNameTheKey() {
        let cases: [(String, String, String)] = [
            ("databases: []", "databases", "is empty"),
            ("serverr: {}\ndatabases: [{id: a, adapter: memory}]", "serverr", "is not a known key"),
            ("databases: [{id: a, adapter: mongo}]", "databases[0].adapter", "unknown adapter 'mongo'"),
            ("databases: [{id: a, adapter: sqlite}]", "databases[0].path", "is required"),
            ("databases: [{id: a, adapter: memory, path: x}]", "databases[0].path", "is not a key of a 'memory' database"),
            ("databases: [{id: a, adapter: memory}, {id: a, adapter: memory}]", "databases[1].id", "is used by an earlier database"),
            ("default_db: b\ndatabases: [{id: a, adapter: memory}]", "default_db", "'b' is not the id"),
            ("server: {port: 99999}\ndatabases: [{id: a, adapter: memory}]", "server.port", "must be between"),
            ("databases: [{id: a, adapter: memory, tables: [t, t]}]", "databases[0].tables[1]", "listed twice"),
            ("databases: [{id: a, adapter: sqlite, path: \"${NOPE}\"}]", "databases[0].path", "NOPE, which is not set"),
            ("databases: [{id: a, adapter: memory}]\nauth: {tokens: [{token: t, scopes: [root]}]}", "auth.tokens[0].scopes[0]", "'root' is not one of"),
            ("databases: [{id: a, adapter: memory}]\nauth: {tokens: [{token: t, scopes: [admin], databases: [b]}]}", "auth.tokens[0].databases[0]", "'b' is not the id"),
            ("databases: [{id: a, adapter: memory}]\nlimits: {max_ids_per_request: 0}", "limits.max_ids_per_request", "must be between"),
            ("databases: [{id: a, adapter: memory}]\nlogging: {level: loud}", "logging.level", "'loud' is not one of"),
            ("databases: [{id: a", "(document)", "is not valid YAML"),
        ]
        for (yaml, key, fragment) in cases {
            let error = problem(yaml)
            #expect(error?.key == key, "\(yaml) → \(String(describing: error))")
            #expect(error?.problem.contains(fragment) == true, "\(yaml) → \(String(describing: error))")
        }
    }

    @Test func loadingNamesTheFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-bad-\(UUID().uuidString).yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("databases: [{id: a, adapter: nosuch}]".utf8))
        #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(path: path, registry: .builtIn) }
        do {
            _ = try GatewayConfiguration.load(path: path, registry: .builtIn)
        } catch {
            #expect(error.description.hasPrefix(path + ": databases[0].adapter: unknown adapter 'nosuch'"))
        }
    }
}

/// The shipped multi-tenant example parses with its environment set.
@Suite struct MultiTenantConfigurationTests {
    @Test func theMultiTenantExampleParses() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let environment = [
            "TENANT_A_DATABASE_URL": "postgresql://evalgw@127.0.0.1:5432/tenant_a",
            "TENANT_B_DATABASE_URL": "postgresql://evalgw@127.0.0.1:5432/tenant_b",
            "EVALGW_ADMIN_TOKEN": "a", "EVALGW_TENANT_A_TOKEN": "b", "EVALGW_TENANT_B_TOKEN": "c",
        ]
        let configuration = try GatewayConfiguration.load(
            path: packageRoot.appendingPathComponent("config/multi-tenant.yaml").path, registry: .builtIn, environment: environment
        )
        #expect(configuration.databases.map(\.id) == ["local", "tenant-a", "tenant-b"])
        #expect(configuration.databases.map(\.adapter) == ["sqlite", "postgres", "postgres"])
        #expect(configuration.defaultDatabaseID == "local")
        #expect(configuration.databases[1].tables == ["agno_eval_runs", "agno_eval_runs_archive"])
        #expect(configuration.tokens.map(\.databases) == [["*"], ["tenant-a"], ["tenant-b"]])
    }
}
