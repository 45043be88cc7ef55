import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad HTTP framing on a live port, sent byte for byte: each is a client error with the surface's error
/// body, the connection closes after the answer, nothing is deleted, the server stays healthy, and no
/// 5xx is counted.
@Suite struct MalformedRequestTests {
    /// A request body whose framing is broken.
    struct BadFraming: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// The framing header (`Transfer-Encoding` or `Content-Length`).
        let framingHeader: String
        /// The bytes after the head.
        let body: String
        /// Whether the client shuts its write side after the body.
        let shutsWrite: Bool
    }

    static let framings = [
        BadFraming(testDescription: "invalid chunk size", framingHeader: "Transfer-Encoding: chunked", body: "zz\r\n{}\r\n0\r\n\r\n", shutsWrite: false),
        BadFraming(testDescription: "chunk longer than declared", framingHeader: "Transfer-Encoding: chunked", body: "2\r\n{\"eval_run_ids\":[\"keep\"]}\r\n0\r\n\r\n", shutsWrite: false),
        BadFraming(testDescription: "chunk without its CRLF", framingHeader: "Transfer-Encoding: chunked", body: "2\r\n{}0\r\n\r\n", shutsWrite: false),
        BadFraming(testDescription: "negative chunk size", framingHeader: "Transfer-Encoding: chunked", body: "-2\r\n{}\r\n0\r\n\r\n", shutsWrite: false),
        BadFraming(testDescription: "body shorter than Content-Length, write side closed", framingHeader: "Content-Length: 100", body: "{\"eval_run_ids\":[\"keep\"]", shutsWrite: true),
    ]

    /// The Agno surface: 400 BAD_REQUEST, the connection closed, `keep` still there, no 5xx counted.
    @Test(arguments: framings)
    func agnoAnswers400AndCloses(_ framing: BadFraming) async throws {
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        try await gateway.testLive { port, client in
            try await client.createRun("keep", db: "scratch")
            let responses = try await RawConnection.with(port: port) { connection in
                try await connection.send("DELETE /eval-runs?db_id=scratch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(framing.framingHeader)\r\n\r\n\(framing.body)")
                if framing.shutsWrite { connection.shutdownWrite() }
                let responses = try await connection.readUntilClosed()
                #expect(connection.closedByServer, "the server keeps the connection open after a framing error")
                return responses
            }
            try #require(responses.count == 1, "\(responses.map(\.status))")
            #expect(responses[0].status == 400)
            #expect(responses[0].object["error_code"] as? String == "BAD_REQUEST")
            #expect((responses[0].object["detail"] as? String ?? "").hasPrefix("Malformed HTTP request"), "\(responses[0].object)")
            #expect(responses[0].headers["connection"] == "close")
            #expect(try await client.send(.get, "/eval-runs/keep?db_id=scratch").status == .ok, "a run was deleted by a malformed request")
            try await Self.expectHealthyWithoutServerErrors(client, clientErrors: [#"evalgw_http_requests_total{method="DELETE",route="/eval-runs",status="400"}"#])
        }
    }

    /// The AgentCore surface: 400 ValidationException (header and body), the connection closed.
    @Test(arguments: framings)
    func agentCoreAnswersValidationExceptionAndCloses(_ framing: BadFraming) async throws {
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        try await gateway.testLive { port, client in
            let responses = try await RawConnection.with(port: port) { connection in
                try await connection.send("POST /evaluations/batch-evaluate?db_id=scratch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(framing.framingHeader)\r\n\r\n\(framing.body)")
                if framing.shutsWrite { connection.shutdownWrite() }
                let responses = try await connection.readUntilClosed()
                #expect(connection.closedByServer)
                return responses
            }
            try #require(responses.count == 1, "\(responses.map(\.status))")
            #expect(responses[0].status == 400)
            #expect(responses[0].headers["x-amzn-errortype"] == "ValidationException")
            #expect(responses[0].object["__type"] as? String == "ValidationException")
            #expect(responses[0].object["reason"] as? String == "CannotParse")
            #expect(responses[0].headers["connection"] == "close")
            try await Self.expectHealthyWithoutServerErrors(client, clientErrors: [#"evalgw_http_requests_total{method="POST",route="/evaluations/batch-evaluate",status="400"}"#])
        }
    }

    /// A head over the limit is 431 with the error body of the surface its request line names, and is
    /// counted as an unmatched 431.
    @Test func aHeadOverTheLimitIs431WithTheErrorBody() async throws {
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        try await gateway.testLive(headLimits: RequestHeadLimits(maxHeadBytes: 16 * 1024)) { port, client in
            let filler = String(repeating: "a", count: 20 * 1024)
            for (target, isAgentCore) in [("/eval-runs?db_id=scratch", false), ("/evaluations/batch-evaluate?db_id=scratch", true)] {
                let responses = try await RawConnection.with(port: port) { connection in
                    try? await connection.send("GET \(target) HTTP/1.1\r\nHost: x\r\nX-Fill: \(filler)\r\n\r\n")
                    let responses = try await connection.readUntilClosed()
                    #expect(connection.closedByServer)
                    return responses
                }
                try #require(responses.count == 1, "\(target): \(responses.map(\.status))")
                #expect(responses[0].status == 431)
                #expect(responses[0].headers["connection"] == "close")
                let message = isAgentCore ? responses[0].object["message"] as? String : responses[0].object["detail"] as? String
                #expect(message == "The request head is larger than the limit of 16384 bytes or has more than 1000 header fields")
                if isAgentCore {
                    #expect(responses[0].object["__type"] as? String == "ValidationException")
                    #expect(responses[0].headers["x-amzn-errortype"] == "ValidationException")
                } else {
                    #expect(responses[0].object["error_code"] as? String == "BAD_REQUEST")
                }
            }
            try await Self.expectHealthyWithoutServerErrors(client, clientErrors: [#"evalgw_http_requests_total{method="GET",route="unmatched",status="431"}"#])
        }
    }

    /// A head that is not HTTP never reaches a route: 400 with the error body, then the connection
    /// closes; a good request before it on the same connection is answered first.
    @Test func aMalformedHeadIs400AfterTheAnswersOwed() async throws {
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        try await gateway.testLive { port, client in
            let garbage = try await RawConnection.with(port: port) { connection in
                try await connection.send("NOT HTTP AT ALL\r\n\r\n")
                return try await connection.readUntilClosed()
            }
            try #require(garbage.count == 1)
            #expect(garbage[0].status == 400)
            #expect(garbage[0].object["error_code"] as? String == "BAD_REQUEST")

            let agentCore = try await RawConnection.with(port: port) { connection in
                try await connection.send("GET /evaluations/batch-evaluate?db_id=scratch HTTP/1.1\r\nHost: x\r\nNo colon in this field\r\n\r\n")
                return try await connection.readUntilClosed()
            }
            try #require(agentCore.count == 1)
            #expect(agentCore[0].status == 400)
            #expect(agentCore[0].object["__type"] as? String == "ValidationException")

            let pipelined = try await RawConnection.with(port: port) { connection in
                try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
                let responses = try await connection.readUntilClosed()
                #expect(connection.closedByServer)
                return responses
            }
            #expect(pipelined.map(\.status) == [200, 400])
            #expect(pipelined.last?.object["error_code"] as? String == "BAD_REQUEST")
            try await Self.expectHealthyWithoutServerErrors(client, clientErrors: [#"evalgw_http_requests_total{method="other",route="unmatched",status="400"}"#])
        }
    }

    /// `/health` answers on a new connection, the given client-error series were counted, and no request
    /// series has a 5xx status.
    static func expectHealthyWithoutServerErrors(_ client: any TestClientProtocol, clientErrors: [String]) async throws {
        #expect(try await client.send(.get, "/health").status == .ok)
        let samples = try await MetricsTests.samples(client)
        for series in clientErrors { #expect((samples[series] ?? 0) >= 1, "\(series) was not counted") }
        let serverErrors = samples.filter { $0.key.hasPrefix("evalgw_http_requests_total{") && $0.key.contains(#"status="5"#) }
        #expect(serverErrors.isEmpty, "5xx counted: \(serverErrors)")
    }
}
