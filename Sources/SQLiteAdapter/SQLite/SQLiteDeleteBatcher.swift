import CSQLite
import EvalGatewayCore
import Synchronization

/// Group commit for bulk deletes: deletes that arrive while the connection is busy are run together in
/// the next transaction, so that one fsync covers many requests.
///
/// Each request still runs as its own statement inside its own savepoint — it gets its own exact count,
/// and a failure rolls back only its own changes — and is acknowledged only after the `COMMIT` that holds
/// its rows. Readers share the connection's queue, so none sees a transaction half done.
final class SQLiteDeleteBatcher: Sendable {
    /// One queued delete.
    struct Request: Sendable {
        let sql: String
        let idArray: String
        let returningRemovedIDs: Bool
        let continuation: CheckedContinuation<EvalRunDeletion, any Error>
    }

    private let queue: SQLiteConnectionQueue
    private let state = Mutex<(requests: [Request], flushScheduled: Bool)>(([], false))

    init(queue: SQLiteConnectionQueue) { self.queue = queue }

    /// Queues a delete and waits for the commit that holds it.
    func delete(sql: String, idArray: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion {
        try await withCheckedThrowingContinuation { continuation in
            let request = Request(sql: sql, idArray: idArray, returningRemovedIDs: returningRemovedIDs, continuation: continuation)
            let mustSchedule = state.withLock { state -> Bool in
                state.requests.append(request)
                guard !state.flushScheduled else { return false }
                state.flushScheduled = true
                return true
            }
            if mustSchedule { queue.submit { connection in self.flush(on: connection) } }
        }
    }

    /// Runs every queued delete in one transaction, then answers each request.
    private func flush(on connection: SQLiteConnection) {
        let batch = state.withLock { state -> [Request] in
            defer {
                state.requests = []
                state.flushScheduled = false
            }
            return state.requests
        }
        var results: [Result<EvalRunDeletion, any Error>] = []
        results.reserveCapacity(batch.count)
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            return
        }
        for request in batch {
            results.append(Result { try Self.run(request, on: connection) })
        }
        do {
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            for request in batch { request.continuation.resume(throwing: error) }
            return
        }
        for (request, result) in zip(batch, results) { request.continuation.resume(with: result) }
    }

    /// One request inside its own savepoint: all of it or none of it.
    private static func run(_ request: Request, on connection: SQLiteConnection) throws -> EvalRunDeletion {
        try connection.execute("SAVEPOINT delete_request")
        do {
            let statement = try connection.cachedStatement(request.sql)
            try statement.bind([.text(request.idArray)])
            let deletion: EvalRunDeletion
            if request.returningRemovedIDs {
                var removed: Set<String> = []
                while try statement.step() { removed.insert(statement.text(0)) }
                deletion = EvalRunDeletion(deletedCount: removed.count, removedIDs: removed)
            } else {
                while try statement.step() {}
                deletion = EvalRunDeletion(deletedCount: connection.changes)
            }
            try connection.execute("RELEASE delete_request")
            return deletion
        } catch {
            try? connection.execute("ROLLBACK TO delete_request")
            try? connection.execute("RELEASE delete_request")
            throw error
        }
    }
}
