import Dispatch
import EvalGatewayCore
import Synchronization

/// A fixed set of ``PostgresConnectionWorker`` slots for one database. An operation borrows a slot,
/// runs on that slot's queue and returns it; when every slot is busy it waits in line, at most
/// `waitTimeout`, and then fails with ``StorageError/unavailable(underlying:retryAfter:)``.
package final class PostgresConnectionPool: Sendable {
    private let workers: [PostgresConnectionWorker]
    private let state: Mutex<State>
    private let waitTimeoutMilliseconds: Int

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Int, any Error>
    }

    private struct State {
        var free: [Int]
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var isClosed = false
    }

    /// A pool of `size` lazily opened connections.
    package init(label: String, size: Int, parameters: PostgresConnectionParameters, waitTimeoutMilliseconds: Int) {
        precondition(size >= 1, "a pool needs at least one connection")
        workers = (0..<size).map { PostgresConnectionWorker(label: "\(label).\($0)", parameters: parameters) }
        state = Mutex(State(free: Array((0..<size).reversed())))
        self.waitTimeoutMilliseconds = waitTimeoutMilliseconds
    }

    /// The number of slots.
    package var size: Int { workers.count }

    /// Borrows a connection, runs `body` with it on its queue and gives it back.
    package func run<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        return try await workers[index].run(policy, body)
    }

    /// Current usage: slots lent out, free slots with an open connection, operations waiting.
    package var statistics: PoolStatistics {
        let (free, waiting) = state.withLock { state in (state.free, state.waiters.count) }
        return PoolStatistics(inUse: workers.count - free.count, idle: free.filter { workers[$0].isOpen }.count, waiting: waiting)
    }

    /// The server process ids of the open connections (for tests and diagnostics).
    package var backendProcessIDs: [Int32] { workers.compactMap(\.backendProcessID) }

    /// Refuses new operations, fails those waiting, and closes every connection once its running
    /// operation is done.
    package func close() async {
        let waiters = state.withLock { state in
            state.isClosed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: StorageError.unavailable(underlying: "the connection pool was closed", retryAfter: 5))
        }
        for worker in workers { await worker.close() }
    }

    // MARK: - Borrowing

    private func acquire() async throws -> Int {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let immediate: Result<Int, any Error>? = state.withLock { state in
                    if state.isClosed {
                        return .failure(StorageError.unavailable(underlying: "the connection pool is closed", retryAfter: 5))
                    }
                    if let index = state.free.popLast() { return .success(index) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                let timeout = waitTimeoutMilliseconds
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeout)) { [weak self] in
                    self?.abandon(id, with: StorageError.unavailable(
                        underlying: "no database connection became free within \(timeout) ms (pool of \(self?.size ?? 0))",
                        retryAfter: 1
                    ))
                }
            }
        } onCancel: {
            abandon(id, with: CancellationError())
        }
    }

    /// Fails the waiter `id` with `error`, if it is still waiting.
    private func abandon(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: position)
        }
        waiter?.continuation.resume(throwing: error)
    }

    private func release(_ index: Int) {
        let waiter = state.withLock { state -> Waiter? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.free.append(index)
            return nil
        }
        waiter?.continuation.resume(returning: index)
    }
}
