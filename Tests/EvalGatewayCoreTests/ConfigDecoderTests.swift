import EvalGatewayCore
import MemoryAdapter
import Testing

/// One validator for the file and the admin API: the same checks, the same sentences, with `body.…`
/// key paths for a request body.
@Suite struct ConfigDecoderTests {
    let adapters = AdapterRegistry([MemoryAdapter()])

    func bodyProblem(_ json: String) -> ConfigurationError? {
        do {
            let node = try ConfigNode(json: Array(json.utf8))
            let body = try ConfigDecoder(keyPrefix: "body").decode(DatabaseDefinitionBody.self, from: node)
            _ = try body.definition.validate(id: "tenant-a", registry: adapters)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidBodyDecodes() throws {
        let node = try ConfigNode(json: Array(#"{"adapter":"memory","tables":["runs","archive"],"rate":{"requests_per_second":5},"retention":{"max_age_days":30}}"#.utf8))
        let definition = try ConfigDecoder(keyPrefix: "body").decode(DatabaseDefinitionBody.self, from: node).definition
        let database = try definition.validate(id: "tenant-a", registry: adapters)
        #expect(database.id == "tenant-a")
        #expect(database.tables == ["runs", "archive"])
        #expect(database.rate == RateLimit(requestsPerSecond: 5, burst: 5))
        #expect(database.retention == RetentionPolicy(maxAgeDays: 30))
    }

    @Test func bodyProblemsNameTheKeyUnderBody() {
        let cases: [(String, String, String)] = [
            (#"{"adapter":"mongo"}"#, "body.adapter", "unknown adapter 'mongo' (registered: memory)"),
            (#"{}"#, "body.adapter", "is required"),
            (#"{"adapter":"memory","colour":"red"}"#, "body.colour", "is not a known key"),
            (#"{"adapter":"memory","options":{"path":"x"}}"#, "body.options.path", "is not a key of a 'memory' database"),
            (#"{"adapter":"memory","tables":[]}"#, "body.tables", "must list at least one table"),
            (#"{"adapter":"memory","tables":["a","a"]}"#, "body.tables[1]", "'a' is listed twice"),
            (#"{"adapter":"memory","tables":["a\nb"]}"#, "body.tables[0]", "is not a table name"),
            (#"{"adapter":"memory","tables":"runs"}"#, "body.tables", "expected a list"),
            (#"{"adapter":"memory","rate":{"requests_per_second":0}}"#, "body.rate.requests_per_second", "must be more than 0"),
            (#"{"adapter":"memory","rate":{"requests_per_second":"fast"}}"#, "body.rate.requests_per_second", "expected a number, found 'fast'"),
            (#"{"adapter":"memory","rate":{"requests_per_second":1,"burst":0}}"#, "body.rate.burst", "must be between 1 and"),
            (#"{"adapter":"memory","retention":{}}"#, "body.retention.max_age_days", "is required"),
            (#"{"adapter":"memory""#, "body", "is not valid JSON"),
        ]
        for (json, key, fragment) in cases {
            let error = bodyProblem(json)
            #expect(error?.key == key, "\(json) → \(String(describing: error))")
            #expect(error?.problem.contains(fragment) == true, "\(json) → \(String(describing: error))")
        }
    }

    @Test func databaseIDRules() {
        #expect(DatabaseID.problem(with: "tenant-a_01.eu") == nil)
        #expect(DatabaseID.problem(with: "") == "must not be empty")
        #expect(DatabaseID.problem(with: String(repeating: "x", count: 129))?.contains("at most 128") == true)
        for bad in ["a b", "a,b", "*", "a/b", "caf\u{e9}", "tab\t"] {
            #expect(DatabaseID.problem(with: bad) != nil, "\(bad)")
        }
    }

    @Test func environmentReferencesExpandInEveryScalarType() throws {
        struct Sample: Decodable {
            var port: Int
            var enabled: Bool
            var name: String
        }
        let node = try ConfigNode(json: Array(#"{"port":"${PORT}","enabled":"${ON}","name":"x-${NAME}"}"#.utf8))
        let sample = try ConfigDecoder(environment: ["PORT": "9000", "ON": "true", "NAME": "y"]).decode(Sample.self, from: node)
        #expect(sample.port == 9000 && sample.enabled && sample.name == "x-y")
        // An API body is taken as written: no expansion, so a client cannot read the gateway's environment.
        let literal = try ConfigDecoder().decode([String: String].self, from: ConfigNode(json: Array(#"{"path":"${HOME}"}"#.utf8)))
        #expect(literal["path"] == "${HOME}")
    }

    @Test func problemsCarryTheirPosition() {
        let node = ConfigNode(.mapping([
            ("port", ConfigNode(.scalar("abc", quoted: false), location: .init(line: 3, column: 9))),
        ]), location: .init(line: 1, column: 1))
        struct Sample: Decodable { var port: Int }
        #expect(throws: ConfigurationError(location: .init(line: 3, column: 9), key: "port", problem: "expected an integer, found 'abc'")) {
            try ConfigDecoder().decode(Sample.self, from: node)
        }
        let error = ConfigurationError(file: "gw.yaml", location: .init(line: 3, column: 9), key: "server.port", problem: "expected an integer, found 'abc'")
        #expect(error.description == "gw.yaml:3:9: server.port: expected an integer, found 'abc'")
    }
}
