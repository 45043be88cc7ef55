import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresAdapter
import Testing

/// `/metrics`: per-backend series equal to what was sent, bounded label sets, token protection.
@Suite struct MetricsTests {
    /// The Prometheus text as `series line → value`.
    static func samples(_ client: any TestClientProtocol) async throws -> [String: Double] {
        let response = try await client.send(.get, "/metrics")
        #expect(response.status == .ok)
        var samples: [String: Double] = [:]
        for line in String(buffer: response.body).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func deletesOnTwoAdaptersGiveSeparateCorrectSeries() async throws {
        try await TestGateway.make(metrics: MetricsExposition()).test { client in
            for id in ["a", "b", "c"] { try await client.createRun(id, db: "local") }
            try await client.createRun("a", db: "scratch")
            _ = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["a","b","x"]}"#)
            _ = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"eval_run_ids":["c"]}"#)
            _ = try await client.send(.delete, "/eval-runs?db_id=scratch", json: #"{"eval_run_ids":["a","y"]}"#)
            _ = try await client.send(.post, "/eval-runs?db_id=scratch", json: #"{"id":"a","eval_type":"accuracy","eval_data":{}}"#)
            _ = try await client.send(.post, "/eval-runs?db_id=scratch", json: #"{"id":"a","eval_type":"accuracy","eval_data":{}}"#)

            let samples = try await Self.samples(client)
            #expect(samples[#"evalgw_backend_requests_total{db_id="local",adapter="sqlite",operation="delete",outcome="ok"}"#] == 2)
            #expect(samples[#"evalgw_backend_requests_total{db_id="scratch",adapter="memory",operation="delete",outcome="ok"}"#] == 1)
            #expect(samples[#"evalgw_backend_rows_deleted_total{db_id="local",adapter="sqlite"}"#] == 3)
            #expect(samples[#"evalgw_backend_rows_deleted_total{db_id="scratch",adapter="memory"}"#] == 1)
            #expect(samples[#"evalgw_backend_delete_ids_requested_total{db_id="local",adapter="sqlite"}"#] == 4)
            #expect(samples[#"evalgw_backend_requests_total{db_id="scratch",adapter="memory",operation="create",outcome="conflict"}"#] == 1)
            #expect(samples[#"evalgw_backend_errors_total{db_id="scratch",adapter="memory",operation="create",kind="conflict"}"#] == 1)
            #expect(samples[#"evalgw_backend_request_duration_seconds_count{db_id="local",adapter="sqlite",operation="delete"}"#] == 2)
            #expect(samples[#"evalgw_http_requests_total{method="DELETE",route="/eval-runs",status="204"}"#] == 3)
        }
    }

    @Test func batchJobsAreCountedByStatus() async throws {
        try await TestGateway.make(metrics: MetricsExposition()).test { client in
            for name in ["first", "second"] {
                let started = try await client.send(
                    .post, "/evaluations/batch-evaluate?db_id=scratch",
                    json: #"{"batchEvaluationName":"\#(name)","evaluators":[{"evaluatorId":"Builtin.Correctness"}],"dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["g"],"filterConfig":{"sessionIds":["s1"]}}}}"#
                )
                #expect(started.status == .accepted, "\(String(buffer: started.body))")
            }
            let samples = try await Self.samples(client)
            // No runner in this test gateway: both jobs stay PENDING.
            #expect(samples[#"evalgw_batch_jobs{db_id="scratch",adapter="memory",status="PENDING"}"#] == 2)
            #expect(samples[#"evalgw_batch_jobs{db_id="scratch",adapter="memory",status="COMPLETED"}"#] == 0)
            // A database nothing has used is not opened to be counted, and has no series.
            #expect(samples.keys.contains { $0.contains(#"db_id="local""#) } == false)
        }
    }

    @Test func garbageRequestsCreateNoNewSeries() async throws {
        try await TestGateway.make(metrics: MetricsExposition()).test { client in
            try await client.createRun("a", db: "local")
            func garbage(_ index: Int) async throws {
                _ = try await client.send(.get, "/eval-runs?db_id=nope-\(index)")
                _ = try await client.send(.get, "/no/such/path/\(index)")
                _ = try await client.send(.delete, "/eval-runs?db_id=nope-\(index)&table=t\(index)", json: #"{"eval_run_ids":["z"]}"#)
                _ = try await client.send(.get, "/eval-runs/\(UUID().uuidString)?db_id=local")
                _ = try await client.send(HTTPRequest.Method("FROB\(index)")!, "/eval-runs")
            }
            try await garbage(0)
            _ = try await Self.samples(client)
            let before = Set(try await Self.samples(client).keys)
            for index in 1...20 { try await garbage(index) }
            let after = Set(try await Self.samples(client).keys)
            #expect(after == before, "new series: \(after.subtracting(before).sorted().joined(separator: "\n"))")
            #expect(!after.contains { $0.contains("nope") || $0.contains("such") || $0.contains("FROB") })
        }
    }

    @Test func metricsCanRequireAToken() async throws {
        let tokens = [AccessToken(name: "ops", secret: "ops-token", scopes: [.read], databases: ["*"])]
        try await TestGateway.make(tokens: tokens, metrics: MetricsExposition(requireToken: true)).test { client in
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            let scraped = try await client.send(.get, "/metrics", headers: [.authorization: "Bearer ops-token"])
            #expect(scraped.status == .ok)
        }
    }

    /// A Postgres database whose server is unreachable (a closed loopback port): the gateway still
    /// starts, `/ready` names it, its routes answer 503 with Retry-After, and the others keep working.
    @Test func aDownDatabaseMakesReady503NamingIt() async throws {
        let down = try await PostgresAdapter().makeStore(
            for: DatabaseConfiguration(id: "tenant-down", adapter: "postgres", options: AdapterOptions(["url": .string("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1")])),
            logger: Logger(label: "test")
        )
        let database = RegisteredDatabase(configuration: DatabaseConfiguration(id: "tenant-down", adapter: "postgres"), store: down)
        try await TestGateway.make(extra: [database]).test { client in
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.detail == "Databases not ready: tenant-down")
            #expect(ready.object["databases"] as? [String: String] == ["local": "ok", "scratch": "ok", "tenant-down": "unavailable"])
            let delete = try await client.send(.delete, "/eval-runs?db_id=tenant-down", json: #"{"eval_run_ids":["a"]}"#)
            #expect(delete.status == .serviceUnavailable)
            #expect(delete.errorCode == "BACKEND_UNAVAILABLE")
            #expect(delete.headers[.retryAfter] != nil)
            #expect(try await client.send(.get, "/eval-runs?db_id=local").status == .ok)
        }
    }

    @Test func readyIs200WhenEveryBackendAnswers() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/ready")
            #expect(response.status == .ok)
            #expect(response.object["status"] as? String == "ready")
            #expect(response.object["databases"] as? [String: String] == ["local": "ok", "scratch": "ok"])
        }
    }
}
