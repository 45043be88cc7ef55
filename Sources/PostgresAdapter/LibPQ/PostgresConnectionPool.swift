import EvalGatewayCore

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

/// The connections of one database: a ``ConnectionPool`` of nonblocking ``PostgresConnection``s
/// (opened as needed up to the pool's size, closed when idle), with libpq's rules for reuse.
///
/// A connection lent again is checked first (``PostgresConnection/isReusable``) and replaced when it
/// is broken: after `pg_terminate_backend`, a server restart or a network drop, the next call simply
/// reconnects. A statement that fails on a reused connection because it broke runs again once on a
/// new one, as its ``PostgresRetryPolicy`` allows.
package final class PostgresConnectionPool: Sendable {
    private let pool: ConnectionPool<PostgresConnection>
    /// The most connections open at once.
    package let size: Int

    /// A pool of at most `size` connections opened with `parameters`.
    package init(
        label: String,
        size: Int,
        parameters: PostgresConnectionParameters,
        waitTimeout: Duration,
        idleTimeout: Duration,
        clock: AnyClock = .continuous,
        budget: any ConnectionBudget = UnlimitedConnectionBudget()
    ) {
        self.size = size
        pool = ConnectionPool(
            label: label,
            configuration: .init(maxConnections: size, idleTimeout: idleTimeout, waitTimeout: waitTimeout),
            clock: clock,
            budget: budget,
            open: { try await PostgresConnection.connect(parameters) },
            close: { $0.close() }
        )
    }

    /// Borrows a connection, runs `body` with it and gives it back (closed if it broke).
    package func run<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        var retried = false
        while true {
            let lease = try await pool.lease()
            let connection = lease.connection
            if !lease.isFresh, !connection.isReusable {
                pool.release(lease, reusable: false)
                continue
            }
            do {
                let result = try await body(connection)
                pool.release(lease, reusable: !connection.isBroken)
                return result
            } catch {
                pool.release(lease, reusable: connection.isReusable)
                guard !retried, !lease.isFresh, let failure = error as? PostgresError, failure.isConnectionFailure,
                      policy == .idempotent || failure.isServerTermination
                else { throw error }
                retried = true
            }
        }
    }

    /// Current use: connections lent out (or opening), open and idle, and operations waiting.
    package var statistics: PoolStatistics { pool.statistics }

    /// The server process ids of the open connections (for tests and diagnostics).
    package var backendProcessIDs: [Int32] { pool.openConnections.map(\.backendProcessID) }

    /// Waits until the statistics satisfy `predicate` (for tests).
    package func waitUntil(_ predicate: @escaping @Sendable (PoolStatistics) -> Bool) async {
        await pool.waitUntil(predicate)
    }

    /// Refuses new operations, fails those waiting, and closes every connection once its running
    /// operation is done.
    package func close() async {
        await pool.shutdown()
    }
}
