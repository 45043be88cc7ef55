import CSQLite
import Dispatch
import EvalGatewayCore
import Synchronization

/// Serializes all use of one ``SQLiteConnection`` on a dedicated dispatch queue, off Swift's cooperative
/// pool and off the server's event loops: SQLite calls block (disk, fsync, busy waits).
///
/// The connection is opened on that queue (``open(label:path:readOnly:setup:)``) and closed there
/// (``close()``). A job run with ``run(timeout:_:)`` stops with `CancellationError` when its caller is
/// cancelled (its task, or its request's ``CancellationSignal``), and with a timeout when it outlives
/// `timeout`: SQLite's progress handler interrupts the statement.
final class SQLiteConnectionQueue: Sendable {
    private let queue: DispatchQueue
    private let connection: Mutex<SQLiteConnection?>
    private let interrupter: SQLiteInterrupter

    private init(queue: DispatchQueue, connection: consuming sending SQLiteConnection) {
        self.queue = queue
        self.interrupter = connection.interrupter
        self.connection = Mutex(connection)
    }

    /// Opens the file at `path` on a new queue — after `prepare` (e.g. making its folder) — and runs
    /// `setup` on the connection before handing it out.
    static func open(
        label: String, path: String, readOnly: Bool,
        prepare: @escaping @Sendable () throws -> Void = {},
        setup: @escaping @Sendable (SQLiteConnection) throws -> Void
    ) async throws -> SQLiteConnectionQueue {
        let queue = DispatchQueue(label: label)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    try prepare()
                    let connection = try SQLiteConnection(path: path, readOnly: readOnly)
                    try setup(connection)
                    continuation.resume(returning: SQLiteConnectionQueue(queue: queue, connection: connection))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Runs `body` with the connection on the queue, without waiting for it. The statements it used are
    /// reset afterwards, so no read stays open between jobs. Not interrupted.
    func submit(_ body: @escaping @Sendable (SQLiteConnection) -> Void) {
        queue.async {
            self.connection.withLock { connection in
                guard let connection else { return }
                body(connection)
                connection.resetStatementsInUse()
            }
        }
    }

    /// Runs `body` with the connection on the queue and returns its result. The statements it used are
    /// reset afterwards. The job is interrupted when its caller is cancelled (`CancellationError`) or
    /// when it runs longer than `timeout` (``SQLiteError`` `SQLITE_INTERRUPT`, reported as unavailable).
    func run<T: Sendable>(timeout: Duration? = nil, _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let job = JobTicket()
        let interrupter = interrupter
        return try await CancellationSignal.whileRunning {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    let result = self.connection.withLock { connection -> Result<T, any Error> in
                        guard let connection else {
                            return .failure(StorageError.unavailable(underlying: "the SQLite connection is closed", retryAfter: 1))
                        }
                        let number = interrupter.begin(deadline: timeout)
                        let cancelledBefore = job.number.withLock { job -> Bool in
                            defer { job = number }
                            return job == 0
                        }
                        defer {
                            interrupter.end()
                            connection.resetStatementsInUse()
                        }
                        if cancelledBefore { return .failure(CancellationError()) }
                        let result = Result { try body(connection) }
                        if case .failure(let error as SQLiteError) = result, error.primaryCode == SQLITE_INTERRUPT {
                            switch interrupter.interruption {
                            case .cancelled?: return .failure(CancellationError())
                            case .deadline?:
                                return .failure(StorageError.unavailable(
                                    underlying: "SQLite statement stopped after the statement timeout of \(timeout.map { "\($0)" } ?? "-")", retryAfter: 1
                                ))
                            case nil: break
                            }
                        }
                        return result
                    }
                    continuation.resume(with: result)
                }
            }
        } onCancel: {
            // 0 marks a job cancelled before it started; a running job is stopped by number.
            let running = job.number.withLock { job -> UInt64? in
                guard let running = job else {
                    job = 0
                    return nil
                }
                return running
            }
            if let running { interrupter.cancel(running) }
        }
    }

    /// Closes the connection after the jobs already queued.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection.withLock { $0 = nil }
                continuation.resume()
            }
        }
    }
}

/// The number of one job on the queue, shared with its cancellation handler: `nil` before it starts,
/// 0 when it was cancelled before it started.
private final class JobTicket: Sendable {
    let number = Mutex<UInt64?>(nil)
}
