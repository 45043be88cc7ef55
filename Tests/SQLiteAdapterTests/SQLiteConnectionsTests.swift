import AdapterConformance
import Dispatch
import EvalGatewayCore
import Foundation
import SQLiteAdapter
import Synchronization
import Testing

/// The SQLite adapter's connections: opened on first use, closed when idle (on a manual clock), reads
/// beside the writer, and statements stopped when their caller goes away or their time is up.
@Suite struct SQLiteConnectionsTests {
    /// A statement that never ends by itself.
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

    static func store(
        _ path: String = temporarySQLitePath(), clock: ManualClock = ManualClock(), configure: (inout SQLiteStoreSettings) -> Void = { _ in }
    ) -> SQLiteEvalRunStore {
        var settings = SQLiteStoreSettings(path: path)
        configure(&settings)
        return SQLiteEvalRunStore(settings: settings, tables: ["runs"], clock: AnyClock(clock))
    }

    @Test func nothingIsOpenedOrCreatedUntilTheFirstRequest() async throws {
        let path = temporarySQLitePath()
        let folder = (path as NSString).deletingLastPathComponent
        let store = Self.store(path)
        #expect(!FileManager.default.fileExists(atPath: folder), "the store made its folder before any request")
        #expect(store.poolStatistics == PoolStatistics(inUse: 0, idle: 0, waiting: 0))
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery()).totalCount == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        await store.shutdown()
    }

    @Test func idleConnectionsCloseAfterTheIdleTimeoutAndReopenOnUse() async throws {
        let clock = ManualClock()
        let store = Self.store(clock: clock)
        _ = try await store.createEvalRun(EvalRun(id: "a", evalType: .accuracy, createdAt: 1), in: "runs")
        #expect(try await store.evalRun(id: "a", in: "runs") != nil)
        let database = store.connections
        await database.waitUntil(writer: { $0.idle == 1 }, readers: { $0.idle == 1 })
        clock.advance(by: .seconds(299))
        #expect(database.writerStatistics.idle == 1 && database.readerStatistics.idle == 1)
        clock.advance(by: .seconds(1))
        await database.waitUntil(writer: { $0.idle == 0 && $0.inUse == 0 }, readers: { $0.idle == 0 && $0.inUse == 0 })
        #expect(clock.sleeperCount == 0, "no timer is left once nothing is open")
        // Used again, it opens again and finds its rows.
        #expect(try await store.evalRun(id: "a", in: "runs")?.id == "a")
        #expect(try await store.deleteEvalRuns(ids: ["a"], in: "runs", returningRemovedIDs: false, audit: .forTests()).deletedCount == 1)
        await store.shutdown()
    }

    @Test func aReadDoesNotWaitForTheWriter() async throws {
        let store = Self.store()
        _ = try await store.createEvalRun(EvalRun(id: "a", evalType: .accuracy, createdAt: 1), in: "runs")
        let release = DispatchSemaphore(value: 0)
        let writerHeld = Flag()
        // The writer is busy (here: held inside a transaction) until the read has returned.
        let write = Task {
            try await store.connections.write { connection in
                try connection.execute("INSERT INTO runs (run_id, eval_type, eval_data, eval_input, created_at) VALUES ('b', 'accuracy', '{}', '{}', 2)")
                writerHeld.set(true)
                _ = release.wait(timeout: .now() + 10)
                writerHeld.set(false)
            }
        }
        while !writerHeld.value { await Task.yield() }
        let page = try await store.listEvalRuns(in: "runs", matching: EvalRunQuery())
        #expect(writerHeld.value, "the read returned only after the writer let go")
        #expect(page.runs.map(\.id) == ["a"], "a read sees the last commit, not the write in progress")
        release.signal()
        try await write.value
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery()).totalCount == 2)
        await store.shutdown()
    }

    @Test func aReadIsInterruptedWhenItsTaskIsCancelled() async throws {
        let store = Self.store()
        _ = try await store.listEvalRuns(in: "runs", matching: EvalRunQuery())
        let started = ContinuousClock.now
        let read = Task { try await store.connections.read { connection in try connection.execute(Self.endless) } }
        await store.connections.waitUntil(writer: { _ in true }, readers: { $0.inUse == 1 })
        read.cancel()
        await #expect(throws: CancellationError.self) { try await read.value }
        #expect(ContinuousClock.now - started < .seconds(5))
        // The connection is fine afterwards.
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery()).totalCount == 0)
        await store.shutdown()
    }

    @Test func aReadIsInterruptedWhenItsRequestsClientGoesAway() async throws {
        let store = Self.store()
        let signal = CancellationSignal()
        let read = Task {
            try await CancellationSignal.$current.withValue(signal) {
                try await store.connections.read { connection in try connection.execute(Self.endless) }
            }
        }
        await store.connections.waitUntil(writer: { _ in true }, readers: { $0.inUse == 1 })
        signal.fire()
        await #expect(throws: CancellationError.self) { try await read.value }
        await store.shutdown()
    }

    @Test func aReadPastTheStatementTimeoutIsInterruptedAsUnavailable() async throws {
        let store = Self.store { $0.statementTimeoutMilliseconds = 200 }
        await #expect {
            try await store.connections.read { connection in try connection.execute(Self.endless) }
        } throws: { error in
            (error as? StorageError)?.kind == .unavailable
        }
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery()).totalCount == 0)
        await store.shutdown()
    }

    @Test func aWriteWhoseClientWentAwayBeforeItsTurnIsSkipped() async throws {
        let store = Self.store()
        _ = try await store.createEvalRun(EvalRun(id: "kept", evalType: .accuracy, createdAt: 1), in: "runs")
        let release = DispatchSemaphore(value: 0)
        let writerHeld = Flag()
        let blocker = Task {
            try await store.connections.write { _ in
                writerHeld.set(true)
                _ = release.wait(timeout: .now() + 10)
            }
        }
        while !writerHeld.value { await Task.yield() }
        let signal = CancellationSignal()
        let delete = Task {
            try await CancellationSignal.$current.withValue(signal) {
                try await store.deleteEvalRuns(ids: ["kept"], in: "runs", returningRemovedIDs: false, audit: .forTests())
            }
        }
        // Whether the delete is already queued or not, once its client is gone it must not run.
        signal.fire()
        release.signal()
        try await blocker.value
        await #expect(throws: CancellationError.self) { _ = try await delete.value }
        #expect(try await store.evalRun(id: "kept", in: "runs") != nil, "the skipped delete removed nothing")
        await store.shutdown()
    }
}

/// A flag shared between a test and the work it watches.
final class Flag: Sendable {
    private let state = Atomic<Bool>(false)
    func set(_ value: Bool) { state.store(value, ordering: .releasing) }
    var value: Bool { state.load(ordering: .acquiring) }
}
