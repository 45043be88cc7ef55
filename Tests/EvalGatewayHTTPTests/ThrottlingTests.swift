import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import MemoryAdapter
import HummingbirdTesting
import Synchronization
import Testing

/// Per-token and per-database rates, under a manual clock: 429 with `Retry-After` on the Agno surface,
/// ThrottlingException on AgentCore, and the throttled-requests metric.
@Suite struct ThrottlingTests {
    final class ManualClock: Sendable {
        private let seconds = Mutex(0.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(by delta: Double) { seconds.withLock { $0 += delta } }
    }

    @Test func aTokenOverItsRateIsThrottledOnBothSurfaces() async throws {
        let clock = ManualClock()
        let token = AccessToken(name: "ci-reader", secret: "s", scopes: [.read], databases: ["*"], rate: RateLimit(requestsPerSecond: 0.5, burst: 2))
        let metrics = MetricsExposition()
        let gateway = try await TestGateway.make(tokens: [token], metrics: metrics, throttle: RequestThrottle(now: { clock.now }))
        try await gateway.test { client in
            let headers: HTTPFields = [.authorization: "Bearer s"]
            #expect(try await client.send(.get, "/eval-runs?db_id=scratch", headers: headers).status == .ok)
            #expect(try await client.send(.get, "/eval-runs?db_id=local", headers: headers).status == .ok)
            let agno = try await client.send(.get, "/eval-runs?db_id=scratch", headers: headers)
            #expect(agno.status == .tooManyRequests)
            #expect(agno.detail == "Rate limit exceeded for token 'ci-reader'")
            #expect(agno.errorCode == "THROTTLED")
            #expect(agno.headers[.retryAfter] == "2")

            let aws = try await client.send(.get, "/evaluations/batch-evaluate?db_id=scratch", headers: headers)
            #expect(aws.status == .tooManyRequests)
            #expect(aws.headers[HTTPField.Name("x-amzn-ErrorType")!] == "ThrottlingException")
            #expect(aws.object["__type"] as? String == "ThrottlingException")
            #expect(aws.object["message"] as? String == "Rate limit exceeded for token 'ci-reader'")

            clock.advance(by: 2)
            #expect(try await client.send(.get, "/eval-runs?db_id=scratch", headers: headers).status == .ok)
        }
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"evalgw_throttled_requests_total{scope="token",name="ci-reader"} 2"#), "\(text)")
    }

    @Test func aDatabaseOverItsRateIsThrottledForEveryToken() async throws {
        let clock = ManualClock()
        let limited = RegisteredDatabase(
            configuration: DatabaseConfiguration(id: "tenant-a", adapter: "memory", rate: RateLimit(requestsPerSecond: 1, burst: 1)),
            store: MemoryEvalRunStore(tables: ["agno_eval_runs"])
        )
        let gateway = try await TestGateway.make(extra: [limited], throttle: RequestThrottle(now: { clock.now }))
        try await gateway.test { client in
            #expect(try await client.send(.get, "/eval-runs?db_id=tenant-a").status == .ok)
            let throttled = try await client.send(.get, "/eval-runs?db_id=tenant-a")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.detail == "Rate limit exceeded for database 'tenant-a'")
            #expect(throttled.headers[.retryAfter] == "1")
            // Other databases are not affected.
            #expect(try await client.send(.get, "/eval-runs?db_id=scratch").status == .ok)
            clock.advance(by: 1)
            #expect(try await client.send(.get, "/eval-runs?db_id=tenant-a").status == .ok)
        }
    }
}
