import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresAdapter
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that disconnects while its request waits on the database stops that request's statement:
/// through a live server with the gateway's channel handlers, a `DELETE` blocked by a row lock is gone
/// from `pg_stat_activity` within a second of the client closing its socket, and deleted nothing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"].map { !$0.isEmpty } ?? false, "EVALGW_TEST_POSTGRES_URL is not set"))
struct ClientDisconnectTests {
    @Test func aDisconnectedClientsStatementIsCancelledOnThePostgresServer() async throws {
        let url = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"]!
        let schema = "evalgw_disconnect_\(getpid())_\(UInt32.random(in: 0 ... .max))"
        let name = "evalgw-disconnect-\(UInt32.random(in: 0 ... .max))"
        let store = try PostgresEvalRunStore(settings: PostgresStoreSettings(url: url, schema: schema, applicationName: name), tables: ["agno_eval_runs"])
        _ = try await store.createEvalRun(EvalRun(id: "locked", evalType: .accuracy, createdAt: 1), in: "agno_eval_runs")
        let admin = try await PostgresConnection.connect(PostgresConnectionParameters(url: url))
        // pg_stat_activity is read from a session of its own: inside a transaction it is a snapshot.
        let observer = try await PostgresConnection.connect(PostgresConnectionParameters(url: url))
        // Another session holds the row, so the gateway's DELETE waits for its lock.
        try await admin.execute("BEGIN")
        try await admin.execute("SELECT run_id FROM \"\(schema)\".agno_eval_runs WHERE run_id = 'locked' FOR UPDATE")

        let services = GatewayServices(
            catalog: DatabaseCatalog(databases: [RegisteredDatabase(configuration: DatabaseConfiguration(id: "pg", adapter: "postgres"), store: store)]),
            logger: Logger(label: "test")
        )
        let app = Application(
            router: buildGatewayRouter(services: services),
            server: .gateway(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = #"{"eval_run_ids":["locked"]}"#
            let socket = try RawClient(port: port)
            socket.send("DELETE /eval-runs?db_id=pg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            func waitingDeletes() async throws -> String? {
                try await observer.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND position('DELETE FROM' in query) > 0", [name]
                ).string(0, 0)
            }
            let started = ContinuousClock.now
            while try await waitingDeletes() != "1" {
                guard ContinuousClock.now - started < .seconds(10) else { throw StorageError.internal(underlying: "the DELETE never reached the server") }
            }
            socket.close()
            let closed = ContinuousClock.now
            while try await waitingDeletes() != "0", ContinuousClock.now - closed < .seconds(5) {}
            #expect(try await waitingDeletes() == "0")
            #expect(ContinuousClock.now - closed < .seconds(1), "the statement outlived its client by \(ContinuousClock.now - closed)")
        }
        try await admin.execute("ROLLBACK")
        #expect(try await store.evalRun(id: "locked", in: "agno_eval_runs") != nil, "the cancelled delete removed nothing")
        try await admin.execute("DROP SCHEMA \"\(schema)\" CASCADE")
        admin.close()
        observer.close()
        await store.shutdown()
    }
}

/// A plain TCP client on loopback, to send a request and hang up without reading the answer.
private final class RawClient {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw StorageError.internal(underlying: "cannot connect to 127.0.0.1:\(port)") }
    }

    func send(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.send(descriptor, bytes.baseAddress, bytes.count, 0) }
    }

    func close() { _ = Glibc.close(descriptor) }
}
