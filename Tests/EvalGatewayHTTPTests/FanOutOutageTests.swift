import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import PostgresAdapter
import SQLiteAdapter
import Testing

/// One erasure across a Postgres, an SQLite and a memory database while the SQLite file is locked by
/// another program: the Postgres and memory deletes commit and are audited, the SQLite one fails alone,
/// the answer is 207 saying which is which, and repeating the call finishes the job.
@Suite struct FanOutOutageTests {
    static let url = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let asAdmin: HTTPFields = [.authorization: "Bearer admin-token"]

    @Test(.enabled(if: url != nil, "EVALGW_TEST_POSTGRES_URL is not set"))
    func aDatabaseLockedMidWayIsReportedAloneAndTheOthersCommit() async throws {
        let url = try #require(Self.url)
        let schema = "evalgw_fanout_\(getpid())_\(String(UInt64.random(in: 0 ... .max), radix: 36))"
        let postgres = try PostgresEvalRunStore(settings: PostgresStoreSettings(url: url, schema: schema, applicationName: "evalgw-fanout-tests"), tables: ["agno_eval_runs"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-fanout-\(UUID().uuidString).sqlite").path
        let sqlite = SQLiteEvalRunStore(settings: SQLiteStoreSettings(path: path, busyTimeoutMilliseconds: 100), tables: ["agno_eval_runs"])
        let databases = [
            RegisteredDatabase(configuration: DatabaseConfiguration(id: "pg", adapter: "postgres"), store: postgres),
            RegisteredDatabase(configuration: DatabaseConfiguration(id: "lite", adapter: "sqlite"), store: sqlite),
            RegisteredDatabase(configuration: DatabaseConfiguration(id: "mem", adapter: "memory"), store: MemoryEvalRunStore(tables: ["agno_eval_runs"])),
        ]
        let admin = AccessToken(name: "privacy-officer", secret: "admin-token", scopes: [.admin], databases: ["*"])
        // One database at a time, in the order named: the SQLite delete fails between the two others.
        let gateway = try await TestGateway.make(tokens: [admin], dataOperations: DataOperationSettings(fanOutMaxParallel: 1), extra: databases, only: ["pg", "lite", "mem"])
        do {
            try await Self.erase(gateway, lockingSQLiteAt: path)
        } catch {
            await postgres.shutdown()
            await dropSchema(schema, url: url)
            throw error
        }
        await postgres.shutdown()
        await dropSchema(schema, url: url)
    }

    static func erase(_ gateway: TestGateway, lockingSQLiteAt path: String) async throws {
        try await gateway.test { client in
            for db in ["pg", "lite", "mem"] {
                for index in 0..<4 {
                    try await client.createRun("\(db)-\(index)", db: db, extra: #","user_id":"\#(index < 3 ? "u-1" : "u-2")""#, headers: Self.asAdmin)
                }
            }
            let lock = try await SQLiteLockHolder.acquire(path)
            let body = #"{"filter":{"user_id":"u-1"}}"#
            let response = try await client.send(.delete, "/eval-runs?db_id=pg,lite,mem", json: body, headers: Self.asAdmin.merging([.prefer: "return=representation"]))
            try await lock.release()
            #expect(response.status.code == 207, "\(String(buffer: response.body))")
            #expect(response.object["deleted"] as? Int == 6)
            #expect(response.headers[.xDeletedCount] == "6")
            #expect(response.headers[.retryAfter] != nil)
            let parts = response.object["databases"] as? [String: [String: Any]] ?? [:]
            #expect(parts["pg"]?["deleted"] as? Int == 3)
            #expect(parts["mem"]?["deleted"] as? Int == 3)
            #expect(parts["lite"]?["error_code"] as? String == "BACKEND_UNAVAILABLE")
            #expect(parts["lite"]?["deleted"] == nil, "the locked database reports nothing deleted")
            #expect(!String(buffer: response.body).contains("SQLITE"), "driver text in the answer")

            // What the answer says is what happened.
            for (db, left) in [("pg", 1), ("lite", 4), ("mem", 1)] {
                let list = try await client.send(.get, "/eval-runs?db_id=\(db)", headers: Self.asAdmin)
                #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == left, "rows left in \(db)")
            }
            let audit = try await client.send(.get, "/admin/audit?kind=filter", headers: Self.asAdmin)
            let records = audit.object["data"] as? [[String: Any]] ?? []
            #expect(Set(records.compactMap { $0["db_id"] as? String }) == ["pg", "mem"], "audit records of the deletes that committed")
            #expect(records.allSatisfy { $0["deleted"] as? Int == 3 && $0["principal"] as? String == "privacy-officer" })

            // The client repeats the call: the lock is gone, the rest is erased, the others remove nothing.
            let retry = try await client.send(.delete, "/eval-runs?db_id=pg,lite,mem", json: body, headers: Self.asAdmin.merging([.prefer: "return=representation"]))
            #expect(retry.status == .ok)
            #expect(retry.object["deleted"] as? Int == 3)
            #expect((retry.object["databases"] as? [String: [String: Int]]) == ["pg": ["deleted": 0], "lite": ["deleted": 3], "mem": ["deleted": 0]])
            let after = try await client.send(.get, "/admin/audit?db_id=lite", headers: Self.asAdmin)
            #expect((after.object["data"] as? [[String: Any]])?.map { $0["deleted"] as? Int } == [3])
        }
    }
}

/// Drops a test schema (and everything in it) on the test server.
func dropSchema(_ schema: String, url: String) async {
    guard let connection = try? await PostgresConnection.connect(PostgresConnectionParameters(url: url, overrides: [("client_encoding", "UTF8")])) else { return }
    _ = try? await connection.execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    connection.close()
}
