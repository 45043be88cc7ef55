import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresAdapter
import SQLiteAdapter
import Synchronization
import Testing

/// Every status `openapi.json` lists for every operation is produced here through the real router, and
/// each answer is checked against the document as it comes (``ContractCheckingClient``): its status is
/// listed, its headers and body match the schema. A status the document lists that no scenario produces
/// fails the test, so the document cannot promise an answer the server never gives.
@Suite struct OpenAPIResponseTests {
    static let admin: HTTPFields = [.authorization: "Bearer admin-token"]
    /// Allowed only to delete: refused (403) by every read and write.
    static let deleter: HTTPFields = [.authorization: "Bearer delete-only-token"]
    /// Allowed only to read: refused (403) by every write and delete.
    static let reader: HTTPFields = [.authorization: "Bearer read-only-token"]
    static let jobs = "/evaluations/batch-evaluate"
    static let startBody = #"{"batchEvaluationName":"NAME","evaluators":[{"evaluatorId":"Builtin.Correctness"}],"dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["svc"],"logGroupNames":["lg"],"filterConfig":{"sessionIds":["s-1"]}}}}"#
    /// A body over the gateway's limit.
    static let oversized = String(repeating: "x", count: 8 * 1024)

    @Test func everyDocumentedStatusOfEveryOperationIsProducedAndMatchesTheDocument() async throws {
        let (admin, deleter, reader, jobs, startBody, oversized) = (Self.admin, Self.deleter, Self.reader, Self.jobs, Self.startBody, Self.oversized)
        let seen = StatusLog()
        let contract = OpenAPIContract.served

        // `fragile` is an SQLite file whose tables are dropped behind the gateway's back (500s); `down` is a
        // Postgres database whose server is a closed loopback port (503s).
        let fragilePath = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-openapi-\(UUID().uuidString).sqlite").path
        let fragile = RegisteredDatabase(
            configuration: DatabaseConfiguration(id: "fragile", adapter: "sqlite", tables: ["agno_eval_runs"]),
            store: SQLiteEvalRunStore(path: fragilePath, tables: ["agno_eval_runs"])
        )
        let downStore = try await PostgresAdapter().makeStore(
            for: DatabaseConfiguration(id: "down", adapter: "postgres", options: AdapterOptions(["url": .string("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1")])),
            logger: Logger(label: "test")
        )
        let down = RegisteredDatabase(configuration: DatabaseConfiguration(id: "down", adapter: "postgres", tables: ["agno_eval_runs"]), store: downStore)
        let tokens = [
            AccessToken(name: "admin", secret: "admin-token", scopes: [.admin], databases: ["*"]),
            AccessToken(name: "reader", secret: "read-only-token", scopes: [.read], databases: ["*"]),
            AccessToken(name: "deleter", secret: "delete-only-token", scopes: [.delete], databases: ["*"]),
        ]
        let signer = TestSigner()
        let gateway = try await TestGateway.make(
            tokens: tokens,
            limits: RequestLimits(maxIDsPerRequest: 50, maxBodyBytes: 4 * 1024),
            extra: [fragile, down],
            metrics: MetricsExposition(requireToken: true),
            sigV4: SigV4Configuration(credentials: [SigV4AuthTests.credential()]),
            now: { signer.time + 60 }
        )

        try await gateway.test { base in
            let client = RecordingClient(base: base, contract: contract, seen: seen)
            func expect(_ status: Int, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = Self.admin, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let response = try await client.send(method, uri, json: json, headers: headers)
                #expect(response.status.code == status, "\(method) \(uri): \(String(buffer: response.body).prefix(300))", sourceLocation: sourceLocation)
            }
            /// A SigV4-signed request with a body over the limit: refused (413) before its signature is checked.
            func oversizedSigned(_ method: HTTPRequest.Method, _ uri: String) -> HTTPFields { signer.headers(method, uri, body: oversized) }

            // Operations.
            try await expect(200, .get, "/health", headers: [:])
            try await expect(503, .get, "/ready", headers: [:])
            try await expect(401, .get, "/metrics", headers: [:])
            try await expect(200, .get, "/metrics")
            try await expect(200, .get, "/openapi.json", headers: [:])

            // The Agno surface: every status of every operation.
            try await expect(201, .post, "/eval-runs?db_id=local", json: #"{"id":"kept","eval_type":"accuracy","eval_data":{"score":1}}"#)
            try await expect(201, .post, "/eval-runs?db_id=fragile", json: #"{"id":"doomed","eval_type":"accuracy","eval_data":{}}"#)
            for (method, uri, json) in [
                (HTTPRequest.Method.get, "/eval-runs", String?.none), (.post, "/eval-runs", #"{"eval_type":"accuracy","eval_data":{}}"#),
                (.delete, "/eval-runs", #"{"eval_run_ids":["x"]}"#), (.get, "/eval-runs/kept", nil), (.patch, "/eval-runs/kept", #"{"name":"n"}"#),
            ] {
                let query = uri.contains("?") ? "&" : "?"
                try await expect(400, method, uri + query + "table=agno_eval_runs", json: json)
                try await expect(401, method, uri + query + "db_id=local", json: json, headers: [:])
                try await expect(403, method, uri + query + "db_id=local", json: json, headers: method == .get ? deleter : reader)
                try await expect(404, method, uri + query + "db_id=nope", json: json)
                try await expect(503, method, uri + query + "db_id=down", json: json)
            }
            try await expect(200, .get, "/eval-runs?db_id=local")
            try await expect(422, .get, "/eval-runs?db_id=local&sort_by=nonsense")
            try await expect(413, .get, "/eval-runs?db_id=local", json: oversized, headers: oversizedSigned(.get, "/eval-runs?db_id=local"))
            try await expect(201, .post, "/eval-runs?db_id=local", json: #"{"id":"made","eval_type":"performance","eval_data":{"t":[0.5]},"eval_input":null,"name":"Made"}"#)
            try await expect(409, .post, "/eval-runs?db_id=local", json: #"{"id":"kept","eval_type":"accuracy","eval_data":{}}"#)
            try await expect(413, .post, "/eval-runs?db_id=local", json: #"{"eval_type":"accuracy","eval_data":{"x":"\#(oversized)"}}"#)
            try await expect(422, .post, "/eval-runs?db_id=local", json: #"{"eval_type":"speed","eval_data":{}}"#)
            try await expect(200, .get, "/eval-runs/kept?db_id=local")
            try await expect(404, .get, "/eval-runs/missing?db_id=local")
            try await expect(413, .get, "/eval-runs/kept?db_id=local", json: oversized, headers: oversizedSigned(.get, "/eval-runs/kept?db_id=local"))
            try await expect(200, .patch, "/eval-runs/kept?db_id=local", json: #"{"name":"Renamed"}"#)
            try await expect(404, .patch, "/eval-runs/missing?db_id=local", json: #"{"name":"Renamed"}"#)
            try await expect(413, .patch, "/eval-runs/kept?db_id=local", json: #"{"name":"\#(oversized)"}"#)
            try await expect(422, .patch, "/eval-runs/kept?db_id=local", json: #"{"name":""}"#)
            try await expect(204, .delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["made"]}"#)
            try await expect(200, .delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["kept","never"]}"#, headers: admin.merging([.prefer: "return=representation"]))
            try await expect(413, .delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":[\#((0..<51).map { "\"i\($0)\"" }.joined(separator: ","))]}"#)
            try await expect(422, .delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":[]}"#)
            // Deletes by filter, dry runs and fan-outs: 200 (both shapes), 204, 207 (a database down), 404, 422.
            try await expect(201, .post, "/eval-runs?db_id=scratch", json: #"{"id":"erased","eval_type":"accuracy","eval_data":{},"user_id":"u-9"}"#)
            try await expect(200, .delete, "/eval-runs?db_id=local,scratch&dry_run=true", json: #"{"filter":{"user_id":"u-9","created_before":"2999-01-01T00:00:00Z"}}"#)
            try await expect(207, .delete, "/eval-runs?db_id=scratch,down", json: #"{"filter":{"user_id":"u-9"}}"#)
            try await expect(204, .delete, "/eval-runs?db_id=local,scratch", json: #"{"filter":{"user_id":"u-9","eval_types":["accuracy"]}}"#)
            try await expect(200, .delete, "/eval-runs?db_id=local,scratch", json: #"{"eval_run_ids":["erased"]}"#, headers: admin.merging([.prefer: "return=representation"]))
            try await expect(404, .delete, "/eval-runs?db_id=local,,scratch", json: #"{"filter":{"user_id":"u-9"}}"#)
            try await expect(422, .delete, "/eval-runs?db_id=*", json: #"{"filter":{}}"#)
            try await expect(422, .delete, "/eval-runs?db_id=*", json: #"{"eval_run_ids":["a"],"filter":{"user_id":"u-9"}}"#)
            try await expect(422, .delete, "/eval-runs?db_id=*", json: #"{"filter":{"created_after":"2024-02-01T00:00:00Z","created_before":"2024-01-01T00:00:00Z"}}"#)

            // The audit trail: every database, one, several with one down (207), and the refusals.
            try await expect(200, .get, "/admin/audit?db_id=local,scratch&limit=5")
            try await expect(200, .get, "/admin/audit?db_id=scratch&kind=filter&since=2020-01-01T00:00:00Z&until=2999-01-01T00:00:00Z")
            try await expect(207, .get, "/admin/audit?db_id=scratch,down")
            try await expect(401, .get, "/admin/audit", headers: [:])
            try await expect(403, .get, "/admin/audit", headers: reader)
            try await expect(404, .get, "/admin/audit?db_id=nope")
            try await expect(422, .get, "/admin/audit?kind=everything")
            try await expect(503, .get, "/admin/audit?db_id=down")

            // The AgentCore surface.
            let pending = try await client.send(.post, "\(jobs)?db_id=scratch", json: startBody.replacing("NAME", with: "pending"), headers: admin)
            #expect(pending.status == .accepted)
            let pendingID = pending.object["batchEvaluationId"] as? String ?? ""
            let finished = try #require(gateway.services.catalog.database(id: "scratch")?.batchEvaluations)
            let done = BatchEvaluation(
                id: "done-AbCdE12345", arn: "arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/done-AbCdE12345", name: "done",
                status: .completed, evaluatorIDs: ["Builtin.Correctness"], sessions: [BatchEvaluationSession(sessionID: "s")],
                dataSourceConfig: .object([:]), createdAt: Timestamp.nowMilliseconds(), clientToken: nil, parametersHash: "h", evalRunsTable: "agno_eval_runs"
            )
            _ = try await finished.createBatchEvaluation(done)
            let fragileJob = try await client.send(.post, "\(jobs)?db_id=fragile", json: startBody.replacing("NAME", with: "fragile"), headers: admin)
            let fragileID = fragileJob.object["batchEvaluationId"] as? String ?? ""
            try await expect(400, .post, "\(jobs)?db_id=scratch", json: #"{"batchEvaluationName":"bad name!"}"#)
            try await expect(409, .post, "\(jobs)?db_id=scratch", json: startBody.replacing("NAME", with: "pending"))
            try await expect(200, .get, "\(jobs)?db_id=scratch&maxResults=5")
            try await expect(400, .get, "\(jobs)?db_id=scratch&maxResults=0")
            try await expect(200, .get, "\(jobs)/\(pendingID)?db_id=scratch")
            try await expect(400, .get, "\(jobs)/not%21an-id?db_id=scratch")
            try await expect(202, .post, "\(jobs)/\(pendingID)/stop?db_id=scratch")
            try await expect(409, .post, "\(jobs)/done-AbCdE12345/stop?db_id=scratch")
            try await expect(409, .delete, "\(jobs)/\(pendingID)?db_id=scratch")
            try await expect(202, .delete, "\(jobs)/done-AbCdE12345?db_id=scratch")
            for (method, path, json) in [
                (HTTPRequest.Method.post, jobs, startBody.replacing("NAME", with: "other")), (.get, jobs, nil),
                (.get, "\(jobs)/\(pendingID)", nil), (.post, "\(jobs)/\(pendingID)/stop", nil), (.delete, "\(jobs)/\(pendingID)", nil),
            ] {
                try await expect(400, method, path + "?table=agno_eval_runs", json: json)
                try await expect(401, method, path + "?db_id=scratch", json: json, headers: [:])
                try await expect(403, method, path + "?db_id=scratch", json: json, headers: method == .delete ? reader : deleter)
                let absent = path == jobs ? path + "?db_id=nope" : path.replacing(pendingID, with: "absent-AbCdE12345") + "?db_id=scratch"
                try await expect(404, method, absent, json: json)
                try await expect(503, method, path + "?db_id=down", json: json)
            }

            // 500s: the tables are gone from under the gateway.
            try await runSQLite(fragilePath, "DROP TABLE agno_eval_runs; DROP TABLE evalgw_batch_evaluations; DROP TABLE evalgw_audit;")
            try await expect(500, .get, "/admin/audit?db_id=fragile")
            for (method, uri, json) in [
                (HTTPRequest.Method.get, "/eval-runs?db_id=fragile", String?.none), (.post, "/eval-runs?db_id=fragile", #"{"eval_type":"accuracy","eval_data":{}}"#),
                (.delete, "/eval-runs?db_id=fragile", #"{"eval_run_ids":["doomed"]}"#), (.get, "/eval-runs/doomed?db_id=fragile", nil),
                (.patch, "/eval-runs/doomed?db_id=fragile", #"{"name":"n"}"#),
                (.post, "\(jobs)?db_id=fragile", startBody.replacing("NAME", with: "again")), (.get, "\(jobs)?db_id=fragile", nil),
                (.get, "\(jobs)/\(fragileID)?db_id=fragile", nil), (.post, "\(jobs)/\(fragileID)/stop?db_id=fragile", nil), (.delete, "\(jobs)/\(fragileID)?db_id=fragile", nil),
            ] {
                try await expect(500, method, uri, json: json)
            }
        }
        // Tenants as data: `/config`, the admin API, and a 429 from every operation that documents one.
        try await Self.tenantScenarios(contract: contract, seen: seen, tokens: tokens, oversized: oversized)

        // `/ready` when every database answers.
        try await TestGateway.make().test { base in
            let response = try await RecordingClient(base: base, contract: contract, seen: seen).send(.get, "/ready")
            #expect(response.status == .ok)
        }

        let produced = seen.statuses.withLock { $0 }
        for (operation, statuses) in contract.documentedResponses.sorted(by: { $0.key.description < $1.key.description }) {
            let missing = statuses.subtracting(produced[operation] ?? []).subtracting(["default"])
            #expect(missing.isEmpty, "openapi.json lists \(missing.sorted()) for \(operation), but no scenario here produces it: add one, or drop the status from the document")
        }
    }
}

extension OpenAPIResponseTests {
    /// `/config` and the admin API, every documented status; then a token with a burst of one request and
    /// a stopped clock makes every operation that documents 429 answer it; then a gateway whose registry
    /// store cannot be reached answers admin writes 503.
    static func tenantScenarios(contract: OpenAPIContract, seen: StatusLog, tokens: [AccessToken], oversized: String) async throws {
        let throttled = AccessToken(name: "throttled", secret: "throttled-token", scopes: [.admin], databases: ["*"], rate: RateLimit(requestsPerSecond: 0.001, burst: 1))
        let gateway = try await TestGateway.make(
            tokens: tokens + [throttled],
            limits: RequestLimits(maxIDsPerRequest: 50, maxBodyBytes: 4 * 1024),
            throttle: RequestThrottle(now: { 0 })
        )
        try await gateway.test { base in
            let client = RecordingClient(base: base, contract: contract, seen: seen)
            func expect(_ status: Int, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = admin, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let response = try await client.send(method, uri, json: json, headers: headers)
                #expect(response.status.code == status, "\(method) \(uri): \(String(buffer: response.body).prefix(300))", sourceLocation: sourceLocation)
            }
            try await expect(200, .get, "/config")
            try await expect(401, .get, "/config", headers: [:])
            try await expect(403, .get, "/config", headers: deleter)

            let database = #"{"adapter":"memory","tables":["agno_eval_runs"]}"#
            try await expect(201, .put, "/admin/databases/tenant-x", json: database)
            try await expect(200, .put, "/admin/databases/tenant-x", json: database)
            try await expect(409, .put, "/admin/databases/local", json: database)
            try await expect(413, .put, "/admin/databases/tenant-y", json: #"{"adapter":"memory","options":{"x":"\#(oversized)"}}"#)
            try await expect(422, .put, "/admin/databases/tenant-y", json: #"{"adapter":"memory","tables":[]}"#)
            try await expect(200, .get, "/admin/databases?limit=1&page=2")
            try await expect(422, .get, "/admin/databases?limit=0")
            try await expect(200, .get, "/admin/databases/tenant-x")
            try await expect(404, .get, "/admin/databases/nope")
            try await expect(204, .delete, "/admin/databases/tenant-x")
            try await expect(404, .delete, "/admin/databases/tenant-x")
            try await expect(409, .delete, "/admin/databases/local")

            let token = #"{"scopes":["evals:read"],"databases":["local"]}"#
            try await expect(201, .put, "/admin/tokens/ci", json: token)
            try await expect(200, .put, "/admin/tokens/ci", json: token)
            try await expect(409, .put, "/admin/tokens/admin", json: token)
            try await expect(413, .put, "/admin/tokens/ci", json: #"{"scopes":["evals:read"],"token":"\#(oversized)"}"#)
            try await expect(422, .put, "/admin/tokens/ci", json: #"{"scopes":[]}"#)
            try await expect(200, .get, "/admin/tokens")
            try await expect(204, .delete, "/admin/tokens/ci")
            try await expect(404, .delete, "/admin/tokens/ci")
            try await expect(409, .delete, "/admin/tokens/admin")

            for (method, uri, json) in [
                (HTTPRequest.Method.get, "/admin/databases", String?.none), (.get, "/admin/databases/local", nil), (.put, "/admin/databases/z", database),
                (.delete, "/admin/databases/z", nil), (.get, "/admin/tokens", nil), (.put, "/admin/tokens/z", token), (.delete, "/admin/tokens/z", nil),
            ] {
                try await expect(401, method, uri, json: json, headers: [:])
                try await expect(403, method, uri, json: json, headers: reader)
            }

            // 429: the throttled token's one request, then every documented operation refuses it.
            let asThrottled: HTTPFields = [.authorization: "Bearer throttled-token"]
            try await expect(200, .get, "/config", headers: asThrottled)
            for (operation, statuses) in contract.documentedResponses where statuses.contains("429") {
                let uri = operation.path
                    .replacing("{db_id}", with: "local").replacing("{name}", with: "z").replacing("{id}", with: "x")
                    .replacing("{batchEvaluationId}", with: "absent-AbCdE12345") + "?db_id=local"
                let method = HTTPRequest.Method(operation.method.uppercased())!
                let hasBody = [.post, .put, .patch, .delete].contains(method)
                try await expect(429, method, uri, json: hasBody ? "{}" : nil, headers: asThrottled)
            }
        }

        // 503: the registry store cannot be reached (a Postgres server at a closed loopback port).
        let unreachable = try await PostgresAdapter().makeRegistryStore(
            options: AdapterOptions(["url": .string("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1"), "pool_timeout_ms": .integer(2000)], path: "registry"),
            logger: Logger(label: "test")
        )
        try await TestGateway.make(tokens: tokens, registryStore: unreachable).test { base in
            let client = RecordingClient(base: base, contract: contract, seen: seen)
            for (method, uri, json) in [
                (HTTPRequest.Method.put, "/admin/databases/tenant-z", #"{"adapter":"memory"}"#), (.delete, "/admin/databases/tenant-z", String?.none),
                (.put, "/admin/tokens/z", #"{"scopes":["evals:read"]}"#), (.delete, "/admin/tokens/z", nil),
            ] {
                let response = try await client.send(method, uri, json: json, headers: admin)
                #expect(response.status == .serviceUnavailable, "\(method) \(uri): \(String(buffer: response.body).prefix(300))")
                #expect(response.headers[.retryAfter] != nil)
            }
        }
    }
}

/// The statuses each documented operation answered.
final class StatusLog: Sendable {
    let statuses = Mutex<[OpenAPIContract.Operation: Set<String>]>([:])
}

/// Notes in a ``StatusLog`` which status each documented operation answered.
struct RecordingClient: TestClientProtocol {
    let base: any TestClientProtocol
    let contract: OpenAPIContract
    let seen: StatusLog

    var port: Int? { base.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        if let operation = contract.operation(method: method, uri: uri) {
            seen.statuses.withLock { _ = $0[operation, default: []].insert(String(response.status.code)) }
        }
        return response
    }
}

extension HTTPFields {
    /// These fields with `other`'s added.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
