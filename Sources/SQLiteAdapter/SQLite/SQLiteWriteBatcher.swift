import CSQLite
import EvalGatewayCore
import Synchronization

/// Group commit: writes that arrive while the writer connection is busy run together in the next
/// transaction, so that one fsync covers many requests.
///
/// Each write still runs inside its own savepoint — its own statements, its own exact counts, and a
/// failure rolls back only its own changes — and is answered only after the `COMMIT` that holds it. A
/// write alone in its transaction needs no savepoint (the transaction is all of it): it runs without
/// one, which spares SQLite a copy of every page it changes in the savepoint's journal — for a delete of
/// a million rows, tens of thousands of pages.
/// A write whose caller went away before its turn is skipped (`CancellationError`); one that has
/// started is not interrupted, because interrupting a statement inside a transaction makes SQLite roll
/// back the whole transaction, and with it every other write of the group.
///
/// The writer connection comes from a pool of one (opened on first use, closed when idle): the batcher
/// holds it from the first queued write until the queue is empty.
final class SQLiteWriteBatcher: Sendable {
    /// One queued write.
    private struct Request: Sendable {
        /// Runs the write — in its own savepoint when `isolated` — and returns whether it succeeded and
        /// how to answer its caller once the commit's outcome is known (`nil`: committed).
        let run: @Sendable (SQLiteConnection, _ isolated: Bool) -> (succeeded: Bool, answer: @Sendable ((any Error)?) -> Void)
        /// Answers the caller with an error, the write not run.
        let reject: @Sendable (any Error) -> Void
        /// Whether the caller went away.
        let ticket: WriteTicket
    }

    private let writer: ConnectionPool<SQLiteConnectionQueue>
    private let state = Mutex<(requests: [Request], flushing: Bool)>(([], false))

    /// Writes through the connection of `writer` (a pool of one).
    init(writer: ConnectionPool<SQLiteConnectionQueue>) { self.writer = writer }

    /// Queues `body` and waits for the commit that holds its changes; returns what it returned.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let ticket = WriteTicket()
        return try await CancellationSignal.whileRunning {
            try await withCheckedThrowingContinuation { continuation in
                let request = Request(
                    run: { connection, isolated in
                        let result = Result { isolated ? try Self.inSavepoint(connection, body) : try body(connection) }
                        let succeeded = if case .success = result { true } else { false }
                        return (succeeded, { commitError in
                            // A write that failed was undone on its own, whatever became of the transaction.
                            if succeeded, let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: result) }
                        })
                    },
                    reject: { error in continuation.resume(throwing: error) },
                    ticket: ticket
                )
                let mustStart = state.withLock { state -> Bool in
                    state.requests.append(request)
                    guard !state.flushing else { return false }
                    state.flushing = true
                    return true
                }
                if mustStart { startFlushing() }
            }
        } onCancel: {
            ticket.cancel()
        }
    }

    /// Borrows the writer and flushes until nothing is queued. Detached: the writer serves every caller,
    /// so no one caller's cancellation may stop it.
    private func startFlushing() {
        Task.detached { [self] in
            do {
                let lease = try await writer.lease()
                lease.connection.submit { connection in
                    self.flushUntilEmpty(on: connection)
                    self.writer.release(lease, reusable: true)
                }
            } catch {
                let batch = state.withLock { state -> [Request] in
                    defer {
                        state.requests = []
                        state.flushing = false
                    }
                    return state.requests
                }
                for request in batch { request.reject(error) }
            }
        }
    }

    private func flushUntilEmpty(on connection: SQLiteConnection) {
        while true {
            let batch = state.withLock { state -> [Request] in
                defer { state.requests = [] }
                if state.requests.isEmpty { state.flushing = false }
                return state.requests
            }
            if batch.isEmpty { return }
            flush(batch, on: connection)
        }
    }

    /// Runs every queued write in one transaction, then answers each.
    private func flush(_ queued: [Request], on connection: SQLiteConnection) {
        var batch: [Request] = []
        batch.reserveCapacity(queued.count)
        for request in queued {
            if request.ticket.isCancelled { request.reject(CancellationError()) } else { batch.append(request) }
        }
        if batch.isEmpty { return }
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for request in batch { request.reject(error) }
            return
        }
        if batch.count == 1 {
            // Alone in the transaction: no savepoint; a failure rolls the transaction back.
            let (succeeded, answer) = batch[0].run(connection, false)
            do {
                guard succeeded else {
                    if !connection.isAutocommit { try connection.execute("ROLLBACK") }
                    return answer(nil)
                }
                try connection.execute("COMMIT")
                answer(nil)
            } catch {
                if !connection.isAutocommit { try? connection.execute("ROLLBACK") }
                answer(error)
            }
            return
        }
        var answers: [@Sendable ((any Error)?) -> Void] = []
        answers.reserveCapacity(batch.count)
        for (position, request) in batch.enumerated() {
            answers.append(request.run(connection, true).answer)
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

/// Whether the caller of one queued write went away.
private final class WriteTicket: Sendable {
    private let cancelled = Atomic<Bool>(false)

    func cancel() { cancelled.store(true, ordering: .releasing) }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
}
