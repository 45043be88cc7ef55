import Dispatch
import Synchronization

/// Serializes all use of one ``SQLiteConnection`` on a dedicated dispatch queue, off Swift's cooperative
/// pool and off the server's event loops: SQLite calls block (disk, fsync, busy waits).
final class SQLiteConnectionQueue: Sendable {
    private let queue: DispatchQueue
    private let connection: Mutex<SQLiteConnection>

    /// Takes ownership of `connection`.
    init(label: String, connection: consuming sending SQLiteConnection) {
        self.queue = DispatchQueue(label: label)
        self.connection = Mutex(connection)
    }

    /// Runs `body` with the connection on the queue, without waiting for it. The statements it used are
    /// reset afterwards, so no read stays open between jobs.
    func submit(_ body: @escaping @Sendable (SQLiteConnection) -> Void) {
        queue.async {
            self.connection.withLock { connection in
                body(connection)
                connection.resetStatementsInUse()
            }
        }
    }

    /// Runs `body` with the connection on the queue and returns its result. The statements it used are
    /// reset afterwards, so no read stays open between jobs.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let result = self.connection.withLock { connection in
                    defer { connection.resetStatementsInUse() }
                    return Result { try body(connection) }
                }
                continuation.resume(with: result)
            }
        }
    }
}
