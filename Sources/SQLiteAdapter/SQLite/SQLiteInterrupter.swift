import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, for SQLite's progress handler, whether the statement running on a connection must stop:
/// because the job it belongs to was cancelled (its caller went away), or because the job's deadline
/// passed. Jobs are numbered, so a cancellation that arrives late never stops the next job.
///
/// Used from the connection's thread (``begin(deadline:)``, ``end()``, the progress handler) and from
/// any other (``cancel(_:)``): all state is atomic.
final class SQLiteInterrupter: Sendable {
    private let currentJob = Atomic<UInt64>(0)
    private let cancelledJob = Atomic<UInt64>(0)
    private let deadlineNanoseconds = Atomic<Int64>(0)
    private let lastJob = Atomic<UInt64>(0)

    /// Why the last interrupted job stopped.
    enum Reason: Sendable { case cancelled, deadline }

    /// Starts a job, with an optional deadline from now; returns its number.
    func begin(deadline: Duration?) -> UInt64 {
        let job = lastJob.wrappingAdd(1, ordering: .relaxed).newValue
        if let deadline {
            let (seconds, attoseconds) = deadline.components
            deadlineNanoseconds.store(Self.now() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
        } else {
            deadlineNanoseconds.store(0, ordering: .relaxed)
        }
        currentJob.store(job, ordering: .releasing)
        return job
    }

    /// Ends the current job.
    func end() {
        currentJob.store(0, ordering: .releasing)
        deadlineNanoseconds.store(0, ordering: .relaxed)
    }

    /// Asks the job `job` to stop, if it is still running (or when it starts).
    func cancel(_ job: UInt64) {
        cancelledJob.store(job, ordering: .releasing)
    }

    /// Why the current job must stop, or `nil`.
    var interruption: Reason? {
        let job = currentJob.load(ordering: .acquiring)
        guard job != 0 else { return nil }
        if cancelledJob.load(ordering: .acquiring) == job { return .cancelled }
        let deadline = deadlineNanoseconds.load(ordering: .relaxed)
        if deadline != 0, Self.now() >= deadline { return .deadline }
        return nil
    }

    /// Whether the current job must stop (what the progress handler answers).
    var shouldInterrupt: Bool { interruption != nil }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
