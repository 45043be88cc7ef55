import CSQLite
import Synchronization

/// Group commit: writes that arrive while the connection is busy run together in the next transaction,
/// so that one fsync covers many requests.
///
/// Each write still runs inside its own savepoint — its own statements, its own exact counts, and a
/// failure rolls back only its own changes — and is answered only after the `COMMIT` that holds it.
/// Readers share the connection's queue, so none sees a transaction half done.
final class SQLiteWriteBatcher: Sendable {
    /// One queued write.
    private struct Request: Sendable {
        /// Runs the write in its savepoint and returns how to answer its caller once the commit's outcome
        /// is known (`nil`: committed).
        let run: @Sendable (SQLiteConnection) -> @Sendable ((any Error)?) -> Void
        /// Answers the caller with an error, the write not run.
        let reject: @Sendable (any Error) -> Void
    }

    private let queue: SQLiteConnectionQueue
    private let state = Mutex<(requests: [Request], flushScheduled: Bool)>(([], false))

    init(queue: SQLiteConnectionQueue) { self.queue = queue }

    /// Queues `body` and waits for the commit that holds its changes; returns what it returned.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let request = Request(
                run: { connection in
                    let result = Result { try Self.inSavepoint(connection, body) }
                    return { commitError in
                        // A write that failed was undone on its own, whatever became of the transaction.
                        if case .success = result, let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: result) }
                    }
                },
                reject: { error in continuation.resume(throwing: error) }
            )
            let mustSchedule = state.withLock { state -> Bool in
                state.requests.append(request)
                guard !state.flushScheduled else { return false }
                state.flushScheduled = true
                return true
            }
            if mustSchedule { queue.submit { connection in self.flush(on: connection) } }
        }
    }

    /// Runs every queued write in one transaction, then answers each.
    private func flush(on connection: SQLiteConnection) {
        let batch = state.withLock { state -> [Request] in
            defer {
                state.requests = []
                state.flushScheduled = false
            }
            return state.requests
        }
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for request in batch { request.reject(error) }
            return
        }
        var answers: [@Sendable ((any Error)?) -> Void] = []
        answers.reserveCapacity(batch.count)
        for (position, request) in batch.enumerated() {
            answers.append(request.run(connection))
            if connection.isAutocommit {
                // SQLite rolled the whole transaction back (disk full, I/O error, out of memory): nothing run
                // so far is in the file, and what follows must not run outside a transaction.
                let error = SQLiteError(code: SQLITE_ABORT, message: "SQLite rolled back the group-commit transaction", sql: nil)
                for answer in answers { answer(error) }
                for request in batch[(position + 1)...] { request.reject(error) }
                return
            }
        }
        do {
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            for answer in answers { answer(error) }
            return
        }
        for answer in answers { answer(nil) }
    }

    /// `body` inside its own savepoint: all of it or none of it.
    private static func inSavepoint<T>(_ connection: SQLiteConnection, _ body: (SQLiteConnection) throws -> T) throws -> T {
        try connection.execute("SAVEPOINT batched_write")
        do {
            let result = try body(connection)
            try connection.execute("RELEASE batched_write")
            return result
        } catch {
            try? connection.execute("ROLLBACK TO batched_write")
            try? connection.execute("RELEASE batched_write")
            throw error
        }
    }
}
