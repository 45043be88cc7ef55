import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread that waits, with `poll(2)`, on the sockets of every nonblocking libpq connection of the
/// process, and on the deadlines of the statements they run.
///
/// A statement is sent by the task that runs it (``PostgresConnection`` sends without blocking); this
/// thread wakes when the answer arrives, reads it (`PQconsumeInput`, `PQgetResult`) and resumes that
/// task — one wake-up per statement, no thread per connection. It also reads what an idle
/// connection receives (a server that ends the session), so a broken connection is known before reuse,
/// and when a statement passes its deadline it asks the server to cancel it (`PQcancel`) and, if no
/// answer comes after a grace period, gives the connection up.
///
/// The thread runs only while statements do (or a connection listens for notifications): it starts
/// with the first statement sent and ends a few seconds after the last one was answered (an idle
/// gateway holds no thread for it, and a process can end). While it does not run, an idle connection's socket is not watched; a connection is checked
/// before it is lent again anyway (``PostgresConnection/isReusable``).
package final class PostgresEventLoop: Sendable {
    /// The loop of the process.
    package static let shared = PostgresEventLoop()

    /// How long a statement may go on after its deadline's cancel request before its connection is given up.
    static let cancelGrace = Duration.seconds(2)
    /// How long the thread stays after the last statement was answered.
    static let linger = Duration.seconds(2)

    private struct Watch {
        let connection: PostgresConnection
        let operation: UInt64
        var deadline: ContinuousClock.Instant
        var cancelled: Bool
    }


    /// Connections are known by identity, not by socket: libpq closes the socket of a connection it finds
    /// broken, and the number may then be reused by a new connection before the old one is unregistered.
    private typealias Key = ObjectIdentifier

    private struct State {
        /// The connections watched, by socket (the newest connection on a socket number wins).
        var connections: [Int32: PostgresConnection] = [:]
        /// Connections that also wait for their socket to be writable (a statement too large to send at once).
        var writers: Set<Key> = []
        /// Statements with a deadline, by connection.
        var watches: [Key: Watch] = [:]
        /// Connections with a statement running.
        var running: Set<Key> = []
        /// Connections that wait for notifications: they keep the thread running while they are open.
        var listening: Set<Key> = []
        /// When the last statement was answered.
        var idleSince = ContinuousClock.now
        var pollList: [pollfd] = []
        var pollListIsStale = true
        /// Counts rebuilds of ``pollList``, so that the thread copies it only when it changed.
        var pollListGeneration = 0
        var isRunning = false
        /// When the thread's wait ends by itself (`nil`: it waits without a timeout), so that a statement
        /// with an earlier deadline wakes it.
        var wakesAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private init() {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "cannot create the Postgres event loop's wake-up pipe")
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    // MARK: - Registration

    /// Watches `connection`'s socket from now on (while the thread runs).
    func register(_ connection: PostgresConnection) {
        state.withLock { state in
            state.connections[connection.socket] = connection
            state.pollListIsStale = true
        }
        wake()
    }

    /// Stops watching `connection` (it is closed, or libpq closed its socket).
    func unregister(_ connection: PostgresConnection) {
        let key = Key(connection)
        state.withLock { state in
            if state.connections[connection.socket] === connection {
                state.connections[connection.socket] = nil
                state.pollListIsStale = true
            }
            state.writers.remove(key)
            state.listening.remove(key)
            state.watches[key] = nil
            if state.running.remove(key) != nil, state.running.isEmpty { state.idleSince = .now }
        }
        wake()
    }

    /// Whether `connection`'s socket waits to be writable too.
    func setWaitsForWrite(_ connection: PostgresConnection, _ waits: Bool) {
        let key = Key(connection)
        let changed = state.withLock { state -> Bool in
            let changed = waits ? state.writers.insert(key).inserted : state.writers.remove(key) != nil
            if changed { state.pollListIsStale = true }
            return changed
        }
        if changed { wake() }
    }

    /// A statement was sent on `connection`: the thread runs (started if needed) until it is answered,
    /// and cancels it if it still runs at `deadline`.
    func begin(_ connection: PostgresConnection, operation: UInt64, deadline: ContinuousClock.Instant?) {
        let key = Key(connection)
        let (start, mustWake) = state.withLock { state -> (Bool, Bool) in
            state.running.insert(key)
            if let deadline {
                state.watches[key] = Watch(connection: connection, operation: operation, deadline: deadline, cancelled: false)
            }
            let start = !state.isRunning
            state.isRunning = true
            let earlier = deadline.map { deadline in state.wakesAt.map { deadline < $0 } ?? true } ?? false
            return (start, !start && earlier)
        }
        if start {
            startThread()
        } else if mustWake {
            wake()
        }
    }

    /// `connection` waits for notifications: the thread runs (started if needed) until it is closed.
    func watch(_ connection: PostgresConnection) {
        let start = state.withLock { state -> Bool in
            state.listening.insert(Key(connection))
            let start = !state.isRunning
            state.isRunning = true
            return start
        }
        if start { startThread() }
    }

    /// The statement on `connection` was answered (or failed).
    func end(_ connection: PostgresConnection) {
        let key = Key(connection)
        state.withLock { state in
            state.watches[key] = nil
            if state.running.remove(key) != nil, state.running.isEmpty { state.idleSince = .now }
        }
    }

    private func startThread() {
        let thread = Thread { [self] in run() }
        thread.name = "evalgw.postgres.io"
        thread.start()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The thread

    private func run() {
        var drain = [UInt8](repeating: 0, count: 64)
        var list: [pollfd] = []
        var generation = -1
        while true {
            let timeout = state.withLock { state -> Int32? in
                if state.pollListIsStale {
                    state.pollList = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                    for (socket, connection) in state.connections {
                        let events = POLLIN | (state.writers.contains(Key(connection)) ? POLLOUT : 0)
                        state.pollList.append(pollfd(fd: socket, events: Int16(events), revents: 0))
                    }
                    state.pollListIsStale = false
                    state.pollListGeneration += 1
                }
                if generation != state.pollListGeneration {
                    list = state.pollList
                    generation = state.pollListGeneration
                }
                var next = state.watches.values.map(\.deadline).min()
                if state.running.isEmpty, state.listening.isEmpty {
                    let leaveAt = state.idleSince + Self.linger
                    if leaveAt <= .now {
                        state.isRunning = false
                        return nil
                    }
                    next = next.map { min($0, leaveAt) } ?? leaveAt
                }
                state.wakesAt = next
                guard let next else { return -1 }
                let remaining = ContinuousClock.now.duration(to: next)
                return remaining <= .zero ? 0 : Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            }
            guard let timeout else { return }
            let ready = poll(&list, nfds_t(list.count), timeout)
            if ready < 0, errno != EINTR { continue }
            if ready > 0 {
                for entry in list where entry.revents != 0 {
                    if entry.fd == wakeRead {
                        while read(wakeRead, &drain, drain.count) > 0 {}
                        continue
                    }
                    guard let connection = state.withLock({ $0.connections[entry.fd] }) else { continue }
                    let revents = Int32(entry.revents)
                    connection.socketIsReady(
                        readable: revents & (POLLIN | POLLHUP | POLLERR) != 0,
                        writable: revents & POLLOUT != 0
                    )
                }
            }
            expireDeadlines()
        }
    }

    /// Cancels the statements past their deadline, and gives up the connections of those that went on
    /// past the grace period after that.
    private func expireDeadlines() {
        let now = ContinuousClock.now
        let (toCancel, toAbandon) = state.withLock { state -> ([Watch], [Watch]) in
            var toCancel: [Watch] = []
            var toAbandon: [Watch] = []
            for (key, watch) in state.watches where watch.deadline <= now {
                if watch.cancelled {
                    toAbandon.append(watch)
                    state.watches[key] = nil
                } else {
                    toCancel.append(watch)
                    state.watches[key]?.cancelled = true
                    state.watches[key]?.deadline = now + Self.cancelGrace
                }
            }
            return (toCancel, toAbandon)
        }
        for watch in toCancel { watch.connection.cancel(operation: watch.operation, reason: .deadline) }
        for watch in toAbandon { watch.connection.abandon(operation: watch.operation) }
    }
}
