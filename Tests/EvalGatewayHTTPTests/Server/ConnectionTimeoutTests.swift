import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The idle and read timeouts on a live port, with short configured timeouts: idle keep-alive
/// connections close, slow-drip heads and bodies are dropped, and neither touches a client that is
/// merely slow between requests.
@Suite struct ConnectionTimeoutTests {
    /// A keep-alive connection closes once it has been idle for the idle timeout, and not before;
    /// so does one that never sends a byte.
    @Test func idleKeepAliveConnectionsClose() async throws {
        let gateway = try await TestGateway.make()
        try await gateway.testLive(timeouts: ConnectionTimeouts(idle: .milliseconds(600), read: .seconds(10))) { port, _ in
            try await RawConnection.with(port: port) { connection in
                // The connection was last active no earlier than this: it may not close before 600 ms after.
                let sent = ContinuousClock.now
                try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
                #expect(try await connection.readUntilClosed(timeout: .seconds(10)).isEmpty)
                #expect(connection.closedByServer, "an idle keep-alive connection stayed open")
                let idle = ContinuousClock.now - sent
                #expect(idle >= .milliseconds(600) && idle < .seconds(10), "closed after \(idle)")
            }
            try await RawConnection.with(port: port) { connection in
                _ = try await connection.readUntilClosed(timeout: .seconds(10))
                #expect(connection.closedByServer, "a silent connection stayed open")
            }
        }
    }

    /// A head that drips in slower than the read timeout is dropped without an answer.
    @Test func aSlowDripHeadIsDropped() async throws {
        let gateway = try await TestGateway.make()
        try await gateway.testLive(timeouts: ConnectionTimeouts(idle: .seconds(30), read: .milliseconds(400))) { port, client in
            try await RawConnection.with(port: port) { connection in
                try await connection.send("GET /health HTTP/1.1\r\n")
                try await Self.drip("X-Slow: \(String(repeating: "s", count: 40))\r\n\r\n", on: connection, for: .seconds(4))
                #expect(try await connection.readUntilClosed(timeout: .seconds(3)).isEmpty, "a late head was answered")
                #expect(connection.closedByServer, "a slow-drip head held the connection past the read timeout")
            }
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }

    /// A body that drips in slower than the read timeout is dropped: nothing is deleted, and the request
    /// is counted as a client error (408), not a server error.
    @Test func aSlowDripBodyIsDroppedAsAClientError() async throws {
        let gateway = try await TestGateway.make(metrics: MetricsExposition())
        try await gateway.testLive(timeouts: ConnectionTimeouts(idle: .seconds(30), read: .milliseconds(400))) { port, client in
            try await client.createRun("keep", db: "scratch")
            try await RawConnection.with(port: port) { connection in
                try await connection.send("DELETE /eval-runs?db_id=scratch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"eval_run_ids\":[\"keep\"")
                try await Self.drip(String(repeating: " ", count: 40), on: connection, for: .seconds(4))
                #expect(try await connection.readUntilClosed(timeout: .seconds(3)).isEmpty)
                #expect(connection.closedByServer, "a slow-drip body held the connection past the read timeout")
            }
            #expect(try await client.send(.get, "/eval-runs/keep?db_id=scratch").status == .ok)
            try await MalformedRequestTests.expectHealthyWithoutServerErrors(client, clientErrors: [#"evalgw_http_requests_total{method="DELETE",route="/eval-runs",status="408"}"#])
        }
    }

    /// The read timeout runs only while a request is arriving: a client that pauses longer than it
    /// between requests, or between the parts of one head, is served.
    @Test func pausesBetweenRequestsAreNotReadTime() async throws {
        let gateway = try await TestGateway.make()
        try await gateway.testLive(timeouts: ConnectionTimeouts(idle: .seconds(30), read: .seconds(3))) { port, _ in
            try await RawConnection.with(port: port) { connection in
                for _ in 0..<2 {
                    try await connection.send("GET /health HTTP/1.1\r\n")
                    try await Task.sleep(for: .milliseconds(50))
                    try await connection.send("Host: x\r\n\r\n")
                    #expect(try await connection.readResponse()?.status == 200)
                    try await Task.sleep(for: .milliseconds(4000))
                }
            }
        }
    }

    /// Sends `text` one byte at a time, spread over `duration`, until done or the server has closed.
    static func drip(_ text: String, on connection: RawConnection, for duration: Duration) async throws {
        let bytes = Array(text.utf8)
        let pause = duration / bytes.count
        for byte in bytes {
            do {
                try await connection.send([byte])
            } catch {
                return  // closed by the server
            }
            try await Task.sleep(for: pause)
        }
    }
}
