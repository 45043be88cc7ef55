import Synchronization

/// Tells the storage operations of a request that nobody waits for their result any more — the HTTP
/// client went away — so that a backend stops the statement it runs (`PQcancel`, `sqlite3_interrupt`)
/// instead of finishing it for no one.
///
/// The HTTP layer binds one to each request as ``current`` and fires it when the client disconnects.
/// A store runs each backend call inside ``whileRunning(_:onCancel:)``, which calls its handler when
/// that signal fires or when the calling task is cancelled (Swift's own cancellation, e.g. at
/// shutdown), whichever comes first, and then the store throws `CancellationError`.
public final class CancellationSignal: Sendable {
    /// The signal of the request the current task serves, if any.
    @TaskLocal public static var current: CancellationSignal?

    private struct State {
        var isFired = false
        var handlers: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A signal that has not fired.
    public init() {}

    /// Whether the signal fired.
    public var isFired: Bool { state.withLock { $0.isFired } }

    /// Fires the signal: runs every registered handler once. Later registrations run at once.
    public func fire() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isFired else { return [] }
            state.isFired = true
            defer { state.handlers.removeAll() }
            return Array(state.handlers.values)
        }
        for handler in handlers { handler() }
    }

    private func register(_ handler: @escaping @Sendable () -> Void) -> UInt64? {
        let id = state.withLock { state -> UInt64? in
            guard !state.isFired else { return nil }
            state.nextID += 1
            state.handlers[state.nextID] = handler
            return state.nextID
        }
        if id == nil { handler() }
        return id
    }

    private func unregister(_ id: UInt64?) {
        guard let id else { return }
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }

    /// Whether the current request's signal fired or the current task is cancelled.
    public static var isCancelled: Bool {
        Task.isCancelled || (current?.isFired ?? false)
    }

    /// Runs `operation`; calls `onCancel` (at most once, from any thread) if the current request's signal
    /// fires or the task is cancelled while it runs, or at once if either happened before.
    public static func whileRunning<T>(
        _ operation: () async throws -> T,
        onCancel: @escaping @Sendable () -> Void
    ) async rethrows -> T {
        let once = Once()
        let cancel: @Sendable () -> Void = {
            if once.claim() { onCancel() }
        }
        let signal = current
        let registration = signal?.register(cancel)
        defer { signal?.unregister(registration) }
        return try await withTaskCancellationHandler(operation: operation, onCancel: cancel)
    }
}

/// A flag that one caller can claim.
private final class Once: Sendable {
    private let claimed = Atomic<Bool>(false)

    /// `true` for the first caller only.
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
