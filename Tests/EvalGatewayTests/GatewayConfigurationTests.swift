import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
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

    @Test func connectionTimeoutsDefaultAndParse() throws {
        #expect(try parse("databases: [{id: a, adapter: memory}]").connectionTimeouts == ConnectionTimeouts(idle: .seconds(60), read: .seconds(30)))
        let configuration = try parse("""
            server: { idle_timeout_seconds: 5, read_timeout_seconds: "${READ}" }
            databases: [{id: a, adapter: memory}]
            """, environment: ["READ": "2"])
        #expect(configuration.connectionTimeouts == ConnectionTimeouts(idle: .seconds(5), read: .seconds(2)))
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
            ("server: {idle_timeout_seconds: 0}\ndatabases: [{id: a, adapter: memory}]", "server.idle_timeout_seconds", "must be between"),
            ("server: {read_timeout_seconds: soon}\ndatabases: [{id: a, adapter: memory}]", "server.read_timeout_seconds", "expected an integer"),
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

/// Problems carry the line and column where the value was written; `${ENV}` works for every scalar type;
/// the registry section is checked against the adapter kinds that can keep a registry.
@Suite struct TypedConfigurationTests {
    func problem(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try GatewayConfiguration.parse(yaml: yaml, registry: .builtIn, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func problemsAreLocatedWhereTheValueIsWritten() throws {
        let yaml = """
            server:
              host: 127.0.0.1
              port: eighty
            databases: [{id: a, adapter: memory}]
            """
        let error = try #require(problem(yaml))
        #expect(error.location == ConfigNode.Location(line: 3, column: 9))
        #expect(error.description == "3:9: server.port: expected an integer, found 'eighty'")

        let nested = try #require(problem("""
            databases:
              - id: a
                adapter: sqlite
                path: ./a.sqlite
                busy_timeout_ms: soon
            """))
        #expect(nested.key == "databases[0].busy_timeout_ms")
        #expect(nested.location == ConfigNode.Location(line: 5, column: 22))

        let unknown = try #require(problem("databases: []\nlimits: { max_ids: 3 }"))
        #expect(unknown.key == "limits.max_ids")
        #expect(unknown.location?.line == 2)
        #expect(unknown.problem.hasPrefix("is not a known key (known: max_body_bytes, max_ids_per_request)"))
    }

    /// An integer, a boolean or a number may come from the environment, in the file and in adapter options.
    @Test func environmentValuesFillEveryScalarType() throws {
        let configuration = try GatewayConfiguration.parse(yaml: """
            server:
              port: ${PORT}
              max_open_connections: ${MAX}
            metrics:
              per_database: ${PER_DB}
            databases:
              - id: pg
                adapter: postgres
                url: postgresql://u@127.0.0.1/db
                max_connections: ${POOL}
            """, registry: .builtIn, environment: ["PORT": "9001", "MAX": "64", "PER_DB": "false", "POOL": "12"])
        #expect(configuration.port == 9001 && configuration.maxOpenConnections == 64 && !configuration.metricsPerDatabase)
        #expect(try configuration.databases[0].options.integer("max_connections") == 12)
    }

    @Test func theRegistrySectionIsChecked() throws {
        let sqlite = try GatewayConfiguration.parse(yaml: "registry: { adapter: sqlite, path: ./r.sqlite, poll_interval_ms: 500 }\ndatabases: []", registry: .builtIn)
        #expect(sqlite.registry.adapter == "sqlite" && sqlite.registry.pollIntervalMilliseconds == 500)
        #expect(try sqlite.registry.options.string("path") == "./r.sqlite")
        let cases: [(String, String, String)] = [
            ("registry: { adapter: mongo }", "registry.adapter", "'mongo' cannot keep the registry (kinds that can: memory, postgres, sqlite)"),
            ("registry: { adapter: sqlite }", "registry.path", "is required"),
            ("registry: { adapter: sqlite, path: x, url: y }", "registry.url", "is not a key of a 'sqlite' registry"),
            ("registry: { adapter: postgres, url: \"not a url\" }", "registry.url", "is not a libpq connection URI"),
            ("registry: { adapter: sqlite, path: x, poll_interval_ms: 5 }", "registry.poll_interval_ms", "must be between 100 and 60000"),
        ]
        for (yaml, key, fragment) in cases {
            let error = problem(yaml + "\ndatabases: []")
            #expect(error?.key == key, "\(yaml) → \(String(describing: error))")
            #expect(error?.problem.contains(fragment) == true, "\(yaml) → \(String(describing: error))")
        }
        #expect(try GatewayConfiguration.parse(yaml: "databases: []", registry: .builtIn).registry.adapter == "memory")
    }

    /// A database entry of the file and the body of `PUT /admin/databases/{db_id}` fail with the same
    /// sentence: one validator serves both.
    @Test func theFileAndTheAdminAPIShareTheirSentences() throws {
        let file = try #require(problem("databases: [{id: a, adapter: sqlite, path: x, busy_timeout_ms: -1}]"))
        let node = try ConfigNode(json: Array(#"{"adapter":"sqlite","options":{"path":"x","busy_timeout_ms":-1}}"#.utf8))
        let body = try ConfigDecoder(keyPrefix: "body").decode(DatabaseDefinitionBody.self, from: node).definition
        #expect(throws: ConfigurationError(key: "body.options.busy_timeout_ms", problem: file.problem)) {
            _ = try body.validate(id: "a", registry: .builtIn)
        }
        #expect(file.key == "databases[0].busy_timeout_ms")
    }

    @Test func declaredTokensAreHashedAndNamedUniquely() throws {
        let configuration = try GatewayConfiguration.parse(yaml: """
            databases: [{id: a, adapter: memory}]
            auth:
              tokens:
                - { name: ci, token: s3cret, scopes: [evals:read], rate: { requests_per_second: 5 } }
            """, registry: .builtIn)
        #expect(configuration.tokens[0].secretDigest == AccessToken.digest(of: "s3cret"))
        #expect(configuration.tokens[0].rate == RateLimit(requestsPerSecond: 5, burst: 5))
        let duplicate = problem("databases: []\nauth: {tokens: [{name: x, token: a, scopes: [admin]}, {name: x, token: b, scopes: [admin]}]}")
        #expect(duplicate?.key == "auth.tokens[1].name")
        #expect(duplicate?.problem == "'x' is used by an earlier token")
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
            "EVALGW_REGISTRY_URL": "postgresql://evalgw@127.0.0.1:5432/evalgw_registry",
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
        #expect(configuration.registry.adapter == "postgres")
        #expect(try configuration.registry.options.string("schema") == "evalgw")
        #expect(configuration.databases[1].rate == RateLimit(requestsPerSecond: 200, burst: 400))
    }
}
