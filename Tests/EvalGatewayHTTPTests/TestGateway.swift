import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MemoryAdapter
import PostgresAdapter
import SQLiteAdapter
import Testing

/// A gateway over real adapters (a memory database `scratch` and an SQLite file `local`, unless told
/// otherwise), driven through the real router. `sigV4` turns on SigV4 verification against the clock
/// `now` (epoch seconds).
struct TestGateway {
    let services: GatewayServices

    /// A gateway with `local` (SQLite, temp file) and `scratch` (memory).
    static func make(
        defaultDatabaseID: String? = nil,
        tokens: [AccessToken] = [],
        limits: RequestLimits = RequestLimits(),
        dataOperations: DataOperationSettings = DataOperationSettings(),
        extraTables: [String] = [],
        extra: [RegisteredDatabase] = [],
        only: Set<String>? = nil,
        metrics: MetricsExposition? = nil,
        registryStore: (any RegistryStore)? = MemoryRegistryStore(),
        throttle: RequestThrottle = RequestThrottle(),
        sigV4: SigV4Configuration? = nil,
        now: @escaping @Sendable () -> Int64 = Timestamp.now
    ) async throws -> TestGateway {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-http-\(UUID().uuidString).sqlite").path
        let tables = ["agno_eval_runs"] + extraTables
        // Under the full suite a connection can take seconds to come up: tests check outcomes, not waits.
        let local = SQLiteEvalRunStore(settings: SQLiteStoreSettings(path: path, poolTimeoutMilliseconds: 60_000), tables: tables)
        if only?.contains("local") ?? true {
            // The file and its tables exist before the test starts (an SQLite store opens on first use), so
            // that a test's first request does not also pay for creating them.
            try await local.ping()
        }
        var databases = [
            RegisteredDatabase(
                configuration: DatabaseConfiguration(id: "local", adapter: "sqlite", tables: tables),
                store: local
            ),
            RegisteredDatabase(
                configuration: DatabaseConfiguration(id: "scratch", adapter: "memory", tables: tables),
                store: MemoryEvalRunStore(tables: tables)
            ),
        ] + extra
        if let only { databases = databases.filter { only.contains($0.id) } }
        if let metrics {
            databases = databases.map { database in
                RegisteredDatabase(
                    configuration: database.configuration,
                    store: TenantStore(database.store, databaseID: database.id, adapter: database.adapter, factory: metrics.factory)
                )
            }
        }
        let catalog = DatabaseCatalog(databases: databases, defaultDatabaseID: defaultDatabaseID, tokens: tokens.map { RegisteredToken(token: $0) }, sigV4: sigV4)
        var registry: TenantRegistry?
        if let registryStore {
            let adapters = AdapterRegistry([MemoryAdapter(), SQLiteAdapter(), PostgresAdapter()])
            let storeMetrics = metrics.map { StoreMetricsProvider(factory: $0.factory) }
            registry = TenantRegistry(catalog: catalog, store: registryStore, adapters: adapters, metrics: storeMetrics, logger: Logger(label: "test"))
            await registry?.sync()
        }
        let services = GatewayServices(
            catalog: catalog,
            registry: registry,
            throttle: throttle,
            limits: limits,
            dataOperations: dataOperations,
            metrics: metrics,
            logger: Logger(label: "test"),
            now: now
        )
        return TestGateway(services: services)
    }

    /// Runs `body` with the port of a live server on loopback (the gateway's own HTTP/1 connections, as
    /// `evalgw serve` runs them) and a client of it.
    func testLive<T: Sendable>(
        timeouts: ConnectionTimeouts = ConnectionTimeouts(),
        headLimits: RequestHeadLimits = RequestHeadLimits(),
        _ body: @escaping @Sendable (_ port: Int, _ client: any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let app = Application(
            router: buildGatewayRouter(services: services),
            server: .gateway(timeouts: timeouts, headLimits: headLimits, metrics: services.metrics?.requests),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        return try await app.test(.live) { client in try await body(try #require(client.port), client) }
    }

    /// Runs `body` with a client of the router that checks every answer against `openapi.json`.
    func test<T>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: buildGatewayRouter(services: services))
        return try await app.test(.router) { client in try await body(ContractCheckingClient(client)) }
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body text and returns the response.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a run through the API and returns its JSON.
    @discardableResult
    func createRun(_ id: String, db: String, type: String = "accuracy", extra: String = "", headers: HTTPFields = [:]) async throws -> [String: Any] {
        let response = try await send(.post, "/eval-runs?db_id=\(db)", json: #"{"id":"\#(id)","eval_type":"\#(type)","eval_data":{"score":1}\#(extra)}"#, headers: headers)
        #expect(response.status == .created, "create \(id) on \(db): \(String(buffer: response.body))")
        return response.object
    }
}

extension TestResponse {
    /// The body as a JSON object (empty if it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The body's `detail`.
    var detail: String? { object["detail"] as? String }

    /// The body's `error_code`.
    var errorCode: String? { object["error_code"] as? String }

    /// The AWS error name, from the header, checked against the body's `__type`.
    var awsErrorType: String? {
        let header = headers[.xAmznErrorType]
        #expect(header == object["__type"] as? String, "x-amzn-ErrorType and __type differ")
        return header
    }
}
