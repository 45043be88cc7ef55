import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// A database removed or replaced while requests are in flight: those requests finish normally on the
/// store they resolved, new ones get 404 (or the new entry), and once the last one is done the database
/// costs nothing — its metric series are gone from `/metrics`.
@Suite struct RegistryLifecycleTests {
    @Test func removalLetsInFlightRequestsFinishThenDropsTheDatabase() async throws {
        let metrics = MetricsExposition()
        let gateway = try await TestGateway.make(metrics: metrics)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-lifecycle-\(UUID().uuidString).sqlite").path
        try await gateway.test { client in
            #expect(try await client.send(.put, "/admin/databases/leaving", json: #"{"adapter":"sqlite","options":{"path":"\#(path)"}}"#).status == .created)
            try await client.createRun("first", db: "leaving")
            // Another program holds the file's write lock: a create resolved before the removal waits for
            // it, in flight on the database while the database is removed.
            let lock = try await SQLiteLockHolder.acquire(path)
            async let inFlight = client.send(.post, "/eval-runs?db_id=leaving", json: #"{"id":"late","eval_type":"accuracy","eval_data":{}}"#)
            try await Task.sleep(for: .milliseconds(500))
            let removal = try await client.send(.delete, "/admin/databases/leaving")
            #expect(removal.status == .noContent)
            try await lock.release()
            let finished = try await inFlight
            #expect(finished.status == .created, "the in-flight create finished normally: \(String(buffer: finished.body).prefix(200))")
            let after = try await client.send(.get, "/eval-runs?db_id=leaving")
            #expect(after.status == .notFound && after.detail == "No database found with id 'leaving'")
        }
        // Nothing holds the removed database any more: its series are gone.
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(!text.contains(#"db_id="leaving""#), "no series of the removed database remain")
    }

    @Test func aReplacedEntryServesNewRequestsWholeAndTheOldOnesFinish() async throws {
        let gateway = try await TestGateway.make()
        try await gateway.test { client in
            #expect(try await client.send(.put, "/admin/databases/swapped", json: #"{"adapter":"memory","tables":["old_runs"]}"#).status == .created)
            #expect(try await client.send(.post, "/eval-runs?db_id=swapped&table=old_runs", json: #"{"id":"a","eval_type":"accuracy","eval_data":{}}"#).status == .created)
            async let reads = withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { Int(try await client.send(.get, "/eval-runs?db_id=swapped&table=old_runs").status.code) } }
                var codes: [Int] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(try await client.send(.put, "/admin/databases/swapped", json: #"{"adapter":"memory","tables":["new_runs"]}"#).status == .ok)
            // Every read saw one whole entry: the old one (200) or the new one, where old_runs is not a table (404).
            let codes = try await reads
            #expect(codes.allSatisfy { $0 == 200 || $0 == 404 }, "\(codes)")
            #expect(try await client.send(.get, "/eval-runs?db_id=swapped&table=new_runs").status == .ok)
            #expect(try await client.send(.get, "/eval-runs?db_id=swapped&table=old_runs").status == .notFound)
        }
    }

    /// Registering a database opens nothing: no file until its first request.
    @Test func aRegisteredDatabaseOpensNothingUntilItsFirstRequest() async throws {
        let gateway = try await TestGateway.make()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-lazy-\(UUID().uuidString)/tenant.sqlite").path
        try await gateway.test { client throws in
            #expect(try await client.send(.put, "/admin/databases/lazy", json: #"{"adapter":"sqlite","options":{"path":"\#(path)"}}"#).status == .created)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try await client.send(.get, "/eval-runs?db_id=lazy").status == .ok)
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }
}
