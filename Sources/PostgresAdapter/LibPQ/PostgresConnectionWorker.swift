import Dispatch
import Synchronization

/// When a statement that failed because its connection broke may run again on a fresh connection.
package enum PostgresRetryPolicy: Sendable {
    /// Reads and other statements that change nothing: retried once whenever a reused connection turns
    /// out to be broken.
    case idempotent
    /// Writes: retried once only when the server said it was ending the session (`57P01`–`57P03`),
    /// which means the statement did not commit. A connection lost with no word from the server leaves
    /// the outcome unknown, so the error is reported instead.
    case write
}

/// One pool slot: a lazily opened ``PostgresConnection`` confined to its own serial dispatch queue, so
/// that blocking libpq calls never run on Swift's cooperative pool or on an event loop.
///
/// Before each use the connection is checked (``PostgresConnection/isReusable``) and replaced when it is
/// missing or broken: after `pg_terminate_backend`, a server restart or a failed connect, the next call
/// simply reconnects. A failure to connect is thrown as a ``PostgresError`` of kind `connect`.
package final class PostgresConnectionWorker: Sendable {
    private let queue: DispatchQueue
    private let connection: Mutex<PostgresConnection?>
    private let parameters: PostgresConnectionParameters
    private let open = Atomic<Bool>(false)
    private let processID = Atomic<Int32>(0)

    /// A worker that connects with `parameters` when first used.
    package init(label: String, parameters: PostgresConnectionParameters) {
        self.queue = DispatchQueue(label: label)
        self.connection = Mutex(nil)
        self.parameters = parameters
    }

    /// Whether the worker holds an open connection (as of its last use).
    package var isOpen: Bool { open.load(ordering: .relaxed) }

    /// Runs `body` with a live connection on the worker's queue and returns its result.
    package func run<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.perform(policy, body) })
            }
        }
    }

    /// The server process id of the connection most recently opened, if one is open (for tests and
    /// diagnostics). Answers at once, even while a statement runs.
    package var backendProcessID: Int32? {
        isOpen ? processID.load(ordering: .relaxed) : nil
    }

    /// Closes the connection, after any statement already queued.
    package func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection.withLock { $0 = nil }
                self.open.store(false, ordering: .relaxed)
                continuation.resume()
            }
        }
    }

    /// Runs on the queue.
    private func perform<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: (PostgresConnection) throws -> T) throws -> T {
        defer { open.store(connection.withLock { $0 != nil }, ordering: .relaxed) }
        return try connection.withLock { connection in
            var retried = false
            while true {
                let current: PostgresConnection
                if let existing = connection, existing.isReusable {
                    current = existing
                } else {
                    connection = nil
                    open.store(false, ordering: .relaxed)
                    current = try PostgresConnection(parameters: parameters)
                    connection = current
                    processID.store(current.backendProcessID, ordering: .relaxed)
                    open.store(true, ordering: .relaxed)
                }
                let wasUsed = current.hasBeenUsed
                do {
                    return try body(current)
                } catch {
                    if current.isBroken { connection = nil }
                    guard !retried, wasUsed, let failure = error as? PostgresError, failure.isConnectionFailure,
                          policy == .idempotent || failure.isServerTermination
                    else { throw error }
                    connection = nil
                    retried = true
                }
            }
        }
    }
}
