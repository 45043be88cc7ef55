import BatchEvaluationRunner
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MemoryAdapter
import PostgresAdapter
import SQLiteAdapter
import Testing

/// The adapters every batch-evaluation test runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// The backends to test: memory and SQLite always; Postgres when `EVALGW_TEST_POSTGRES_URL` names a
    /// server, and always on CI (`CI=true`), where a missing server fails the Postgres cases.
    static var available: [Backend] {
        PostgresTestServer.url != nil || PostgresTestServer.isCI ? allCases : [.memory, .sqlite]
    }

    /// A fresh database of this kind, registered as `id`.
    func database(id: String = "db", tables: [String] = ["agno_eval_runs"]) async throws -> RegisteredDatabase {
        switch self {
        case .memory:
            return RegisteredDatabase(configuration: DatabaseConfiguration(id: id, adapter: "memory", tables: tables), store: MemoryEvalRunStore(tables: tables))
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-batch-\(UUID().uuidString).sqlite").path
            return RegisteredDatabase(
                configuration: DatabaseConfiguration(id: id, adapter: "sqlite", tables: tables),
                store: SQLiteEvalRunStore(path: path, tables: tables)
            )
        case .postgres:
            return RegisteredDatabase(
                configuration: DatabaseConfiguration(id: id, adapter: "postgres", tables: tables),
                store: try await PostgresTestServer.store(schema: PostgresTestServer.uniqueSchema(), tables: tables)
            )
        }
    }

    /// The job store of a fresh database.
    func jobStore() async throws -> any BatchEvaluationStore {
        try await database().batchEvaluations!
    }
}

/// The PostgreSQL server of the Postgres cases: `EVALGW_TEST_POSTGRES_URL`. Each database is a fresh
/// schema on it.
enum PostgresTestServer {
    static let url: String? = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// A schema name no other test uses.
    static func uniqueSchema() -> String {
        "evalgw_batch_\(getpid())_\(String(UInt64.random(in: 0 ... .max), radix: 36))"
    }

    /// A store over `tables` in `schema` (created on first use).
    static func store(schema: String, tables: [String]) async throws -> PostgresEvalRunStore {
        guard let url else { throw StorageError.invalid("EVALGW_TEST_POSTGRES_URL is not set: the Postgres cases need a server") }
        // The race tests put hundreds of operations on one pool of 8 while the rest of the suite runs:
        // they check what happens, not how fast, so a wait for a connection is not cut at 5 s.
        return try PostgresEvalRunStore(
            settings: PostgresStoreSettings(url: url, schema: schema, poolTimeoutMilliseconds: 60_000, applicationName: "evalgw-batch-tests"), tables: tables
        )
    }
}

/// A job record for store tests.
func makeJob(
    name: String, createdAt: Int64 = Timestamp.nowMilliseconds(), token: String? = nil, hash: String = "h", sessions: Int = 1, status: BatchEvaluationStatus = .pending
) -> BatchEvaluation {
    let id = "\(name)-\(String(UUID().uuidString.filter(\.isLetter).prefix(10)).padding(toLength: 10, withPad: "a", startingAt: 0))"
    return BatchEvaluation(
        id: id,
        arn: "arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/\(id)",
        name: name,
        status: status,
        evaluatorIDs: ["Builtin.Correctness"],
        sessions: (0..<sessions).map { BatchEvaluationSession(sessionID: "s\($0)") },
        dataSourceConfig: .object([:]),
        createdAt: createdAt,
        clientToken: token,
        parametersHash: hash,
        evalRunsTable: "agno_eval_runs"
    )
}

/// A gateway over one database, driven through the real router, with an optional runner alongside.
struct BatchTestGateway {
    let database: RegisteredDatabase
    let services: GatewayServices
    let runnerConfiguration: BatchEvaluationRunnerConfiguration?

    /// A gateway over a fresh database of `backend`; with `runner`, a runner works in the background
    /// while the test runs. `sigV4` turns on SigV4 verification, against the clock `now` (epoch seconds).
    static func make(
        _ backend: Backend,
        tokens: [AccessToken] = [],
        sigV4: SigV4Configuration? = nil,
        now: @escaping @Sendable () -> Int64 = Timestamp.now,
        runner: BatchEvaluationRunnerConfiguration? = nil
    ) async throws -> BatchTestGateway {
        let database = try await backend.database(id: "db", tables: ["agno_eval_runs", "other_runs"])
        let services = GatewayServices(
            catalog: DatabaseCatalog(databases: [database], tokens: tokens.map { RegisteredToken(token: $0) }, sigV4: sigV4),
            logger: Logger(label: "test"),
            now: now
        )
        return BatchTestGateway(database: database, services: services, runnerConfiguration: runner)
    }

    /// Runs `body` with a client of the router (and the runner, if configured).
    func test<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: buildGatewayRouter(services: services))
        let runnerTask: Task<Void, Never>? = runnerConfiguration.map { configuration in
            let runner = BatchEvaluationRunner(catalog: services.catalog, configuration: configuration, logger: Logger(label: "runner"))
            return Task { await runner.run() }
        }
        defer { runnerTask?.cancel() }
        let result = try await app.test(.router, body)
        runnerTask?.cancel()
        await runnerTask?.value
        return result
    }
}

/// A fast runner configuration for tests.
func fastRunner(sessionDelay: Duration = .zero, minimum: Duration = .zero, lease: Duration = .seconds(30), owner: String = "test-runner") -> BatchEvaluationRunnerConfiguration {
    BatchEvaluationRunnerConfiguration(minimumJobDuration: minimum, sessionDelay: sessionDelay, pollInterval: .milliseconds(20), leaseDuration: lease, ownerID: owner)
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Starts a job named `name` over `sessions` bare sessions and returns its id.
    func startJob(_ name: String, sessions: Int = 2, extra: String = "", query: String = "") async throws -> String {
        let ids = (0..<sessions).map { "\"sess-\($0)\"" }.joined(separator: ",")
        let body = """
            {"batchEvaluationName":"\(name)","evaluators":[{"evaluatorId":"Builtin.Correctness"}],\
            "dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["svc"],"logGroupNames":["lg"],"filterConfig":{"sessionIds":[\(ids)]}}}\(extra)}
            """
        let response = try await send(.post, "/evaluations/batch-evaluate\(query)", json: body)
        #expect(response.status == .accepted, "start \(name): \(String(buffer: response.body))")
        return response.object["batchEvaluationId"] as? String ?? ""
    }

    /// Polls GET until the job has `status` (or `timeout` passes); returns the last body.
    func waitForStatus(_ id: String, _ status: String, timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: [String: Any] = [:]
        while clock.now < deadline {
            last = try await send(.get, "/evaluations/batch-evaluate/\(id)").object
            if last["status"] as? String == status { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        return last
    }
}

extension TestResponse {
    /// The body as a JSON object (empty if it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The AWS error name, from the header, checked against the body's `__type`.
    var awsErrorType: String? {
        let header = headers[HTTPField.Name("x-amzn-ErrorType")!]
        #expect(header == object["__type"] as? String, "x-amzn-ErrorType and __type differ")
        return header
    }
}

extension AuditRecord {
    /// The audit record of a job's delete made by a test.
    static func forTests(ids: [String], kind: AuditKind) -> AuditRecord {
        AuditContext(principal: "test", requestID: nil).record(databaseID: "test", table: nil, kind: kind, digest: AuditDigest(ids))
    }
}
