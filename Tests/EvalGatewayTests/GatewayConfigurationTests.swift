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

    /// What `evalgw serve` runs on without a file is the shipped `config/gateway.yaml`.
    @Test func theEmbeddedDefaultIsTheShippedFile() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try GatewayConfiguration.load(path: packageRoot.appendingPathComponent("config/gateway.yaml").path, registry: .builtIn)
        let embedded = try GatewayConfiguration.embeddedDefault(registry: .builtIn)
        #expect(embedded.databases == shipped.databases)
        #expect(embedded.defaultDatabaseID == shipped.defaultDatabaseID)
        #expect(embedded.host == shipped.host && embedded.port == shipped.port)
        #expect(embedded.tokens.isEmpty && shipped.tokens.isEmpty)
        #expect(embedded.limits == shipped.limits)
        #expect(embedded.batch == shipped.batch)
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
        #expect(configuration.tokens[0].secretDigest == AccessToken.digest(of: "s3cret"))
        #expect(configuration.tokens[0].scopes == [.read])
    }

    @Test func problemsNameTheKey() {
        let cases: [(String, String, String)] = [
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

    @Test func sigV4CredentialsParseWithTheirPrincipals() throws {
        let configuration = try parse("""
            databases: [{id: a, adapter: memory}, {id: b, adapter: memory}]
            auth:
              sigv4:
                region: eu-west-1
                max_clock_skew_seconds: 300
                credentials:
                  - { name: ci, access_key_id: AKIDCI, secret_access_key: "${SIGV4_SECRET}", scopes: [evals:read], databases: [b] }
                  - { access_key_id: AKIDADMIN, secret_access_key: plain, scopes: [admin] }
            """, environment: ["SIGV4_SECRET": "from-env"])
        let sigV4 = try #require(configuration.sigV4)
        #expect(sigV4.region == "eu-west-1")
        #expect(sigV4.maxClockSkewSeconds == 300)
        #expect(sigV4.credentials.map(\.accessKeyID) == ["AKIDCI", "AKIDADMIN"])
        #expect(sigV4.credentials[0].secretAccessKey == "from-env")
        #expect(sigV4.credentials[0].principal == AccessToken(name: "ci", secret: "from-env", scopes: [.read], databases: ["b"]))
        #expect(sigV4.credentials[1].principal.name == "AKIDADMIN")
        #expect(sigV4.credentials[1].principal.databases == ["*"])
        #expect(configuration.tokens.isEmpty)
        let defaults = try parse("databases: [{id: a, adapter: memory}]\nauth: {sigv4: {credentials: [{access_key_id: K, secret_access_key: S, scopes: [admin]}]}}")
        #expect(defaults.sigV4?.region == nil)
        #expect(defaults.sigV4?.maxClockSkewSeconds == 900)
        #expect(try parse("databases: [{id: a, adapter: memory}]").sigV4 == nil)
    }

    @Test func sigV4ProblemsNameTheKey() {
        let db = "databases: [{id: a, adapter: memory}]\n"
        let cases: [(String, String, String)] = [
            (db + "auth: {sigv4: {credentials: []}}", "auth.sigv4.credentials", "must list at least one access key"),
            (db + "auth: {sigv4: {regions: x, credentials: []}}", "auth.sigv4.regions", "is not a known key"),
            (db + "auth: {sigv4: {credentials: [{secret_access_key: s, scopes: [admin]}]}}", "auth.sigv4.credentials[0].access_key_id", "is required"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, scopes: [admin]}]}}", "auth.sigv4.credentials[0].secret_access_key", "is required"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, secret_access_key: \"${NOPE}\", scopes: [admin]}]}}",
             "auth.sigv4.credentials[0].secret_access_key", "NOPE, which is not set"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, secret_access_key: \"\", scopes: [admin]}]}}",
             "auth.sigv4.credentials[0].secret_access_key", "must not be empty"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: \"a/b\", secret_access_key: s, scopes: [admin]}]}}",
             "auth.sigv4.credentials[0].access_key_id", "without spaces, '/' or ','"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, secret_access_key: s}]}}", "auth.sigv4.credentials[0].scopes", "at least one scope"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, secret_access_key: s, scopes: [admin], databases: [z]}]}}",
             "auth.sigv4.credentials[0].databases[0]", "'z' is not the id"),
            (db + "auth: {sigv4: {credentials: [{access_key_id: k, secret_access_key: s, scopes: [admin]}, {access_key_id: k, secret_access_key: t, scopes: [admin]}]}}",
             "auth.sigv4.credentials[1].access_key_id", "used by an earlier credential"),
            (db + "auth: {sigv4: {region: US-EAST-1, credentials: [{access_key_id: k, secret_access_key: s, scopes: [admin]}]}}",
             "auth.sigv4.region", "is not a region name"),
            (db + "auth: {sigv4: {max_clock_skew_seconds: 0, credentials: [{access_key_id: k, secret_access_key: s, scopes: [admin]}]}}",
             "auth.sigv4.max_clock_skew_seconds", "must be between 1 and 3600"),
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
            // file:line:column: key: problem — the column of the value that is wrong.
            #expect(error.description.hasPrefix(path + ":1:30: databases[0].adapter: unknown adapter 'nosuch'"), "\(error)")
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
            "EVALGW_ADMIN_TOKEN": "a", "EVALGW_TENANT_A_TOKEN": "b", "EVALGW_TENANT_B_TOKEN": "c", "EVALGW_TENANT_A_AWS_SECRET": "d",
        ]
        let configuration = try GatewayConfiguration.load(
            path: packageRoot.appendingPathComponent("config/multi-tenant.yaml").path, registry: .builtIn, environment: environment
        )
        #expect(configuration.databases.map(\.id) == ["local", "tenant-a", "tenant-b"])
        #expect(configuration.databases.map(\.adapter) == ["sqlite", "postgres", "postgres"])
        #expect(configuration.defaultDatabaseID == "local")
        #expect(configuration.databases[1].tables == ["agno_eval_runs", "agno_eval_runs_archive"])
        #expect(configuration.tokens.map(\.databases) == [["*"], ["tenant-a"], ["tenant-b"]])
        #expect(configuration.sigV4?.credentials.map(\.principal.databases) == [["tenant-a"]])
    }
}
