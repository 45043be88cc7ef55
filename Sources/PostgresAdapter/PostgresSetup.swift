import Synchronization

/// Work a store does once before its first statement (checking and creating its tables), run by one
/// caller at a time: callers that arrive while it runs wait for that run instead of starting their
/// own, so the first burst of requests to a cold database opens one connection for it, not one each.
///
/// The run is a detached task on a connection of its own (borrowed and given back before any caller
/// borrows one), so it belongs to no request: a request that goes away does not stop it. A run that
/// fails is forgotten, and the next caller tries again.
final class PostgresSetup<Value: Sendable>: Sendable {
    private enum State {
        case pending
        case running(Task<Value, any Error>)
        case done(Value)
    }

    private let state = Mutex(State.pending)

    init() {}

    /// The value, made by `make` unless a run has made it or is making it now.
    func value(_ make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let known = state.withLock { state -> Result<Value, Never>? in
            if case .done(let value) = state { return .success(value) }
            return nil
        }
        if case .success(let value)? = known { return value }
        let run = state.withLock { state -> Task<Value, any Error>? in
            switch state {
            case .running(let task):
                return task
            case .done:
                return nil
            case .pending:
                let task = Task.detached { try await make() }
                state = .running(task)
                return task
            }
        }
        guard let run else { return try await value(make) }
        do {
            let value = try await run.value
            state.withLock { $0 = .done(value) }
            return value
        } catch {
            state.withLock { state in
                if case .running = state { state = .pending }
            }
            throw error
        }
    }
}
