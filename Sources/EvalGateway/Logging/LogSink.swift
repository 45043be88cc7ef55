import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor — standard error for the gateway's log — written in batches by a thread of its own:
/// a log line costs the request that logs it a copy into a buffer, not a system call and a flush.
///
/// The thread sleeps on a semaphore while nothing is pending (an idle gateway spends nothing on it),
/// wakes when a line arrives after a quiet spell, lets more lines gather for a moment and writes them
/// with one `write(2)`. ``flush()`` writes what is pending at once (the gateway calls it when it stops).
/// Lines keep their order. Past `limit` bytes pending (standard error blocked), new lines are dropped
/// and counted, rather than growing memory or blocking requests.
public final class LogSink: Sendable {
    /// Standard error: the sink every log handler of the gateway writes to.
    public static let standardError = LogSink(descriptor: STDERR_FILENO)

    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
    }

    private let descriptor: Int32
    private let limit: Int
    private let pending = Mutex(Pending())
    /// Held while a batch is taken and written, so that batches reach the descriptor in order.
    private let writing = Mutex(())
    private let arrived = DispatchSemaphore(value: 0)

    /// A sink writing to `descriptor`, holding at most `limit` bytes not yet written.
    package init(descriptor: Int32, limit: Int = 8 << 20) {
        self.descriptor = descriptor
        self.limit = limit
        let thread = Thread { [self] in run() }
        thread.name = "evalgw.log"
        thread.start()
    }

    /// Queues one line (with its newline).
    public func write(_ line: [UInt8]) {
        let wasEmpty = pending.withLock { pending -> Bool in
            let wasEmpty = pending.bytes.isEmpty
            if pending.bytes.count + line.count <= limit {
                pending.bytes.append(contentsOf: line)
            } else {
                pending.dropped += 1
            }
            return wasEmpty
        }
        if wasEmpty { arrived.signal() }
    }

    /// Writes what is pending now.
    public func flush() {
        writing.withLock { _ in writeBatch() }
    }

    private func run() {
        while true {
            arrived.wait()
            // Let the lines of requests answered at about the same time join this batch.
            usleep(2_000)
            flush()
        }
    }

    private func writeBatch() {
        let (bytes, dropped) = pending.withLock { pending -> ([UInt8], Int) in
            defer { pending = Pending() }
            return (pending.bytes, pending.dropped)
        }
        var batch = bytes
        if dropped > 0 { batch += Array("[evalgw] \(dropped) log lines dropped: standard error was not being read\n".utf8) }
        var offset = 0
        while offset < batch.count {
            let written = batch.withUnsafeBufferPointer { buffer in writeToDescriptor(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR || errno == EAGAIN {
                continue
            } else {
                break
            }
        }
    }
}

/// `write(2)` (the sink's own `write(_:)` hides the C function's name inside the class).
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
