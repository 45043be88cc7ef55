import CLibPQ
import Foundation
import EvalGatewayCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What libpq needs to open a connection: keyword/value pairs for `PQconnectdbParams` (the configured
/// URL or conninfo string goes in as an expanded `dbname`), and settings applied once connected.
package struct PostgresConnectionParameters: Sendable {
    /// Keyword/value pairs, in order; for a repeated keyword the last non-empty value wins, so pairs
    /// before the URL are defaults it may override and pairs after it override it.
    package var pairs: [(keyword: String, value: String)]
    /// `statement_timeout` set on every new connection, in milliseconds; `nil` leaves the server's. The
    /// connection also cancels a statement itself when this time has passed (see ``PostgresEventLoop``).
    package var statementTimeoutMilliseconds: Int?

    /// Parameters for `url` (a `postgresql://` URI or a `key=value` conninfo string).
    /// - Parameters:
    ///   - defaults: pairs the URL may override.
    ///   - overrides: pairs that override the URL.
    package init(url: String, defaults: [(String, String)] = [], overrides: [(String, String)] = [], statementTimeoutMilliseconds: Int? = nil) {
        pairs = defaults.map { (keyword: $0.0, value: $0.1) } + [(keyword: "dbname", value: url)] + overrides.map { (keyword: $0.0, value: $0.1) }
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// Whether libpq can parse `url` as a connection URI or conninfo string.
    package static func isValidConnectionString(_ url: String) -> Bool {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(url, &errorMessage)
        if let errorMessage { PQfreemem(errorMessage) }
        guard let options else { return false }
        PQconninfoFree(options)
        return true
    }
}

/// One libpq connection in nonblocking mode: owns its `PGconn*` (and its `PGcancel*`) and closes them
/// in ``close()``.
///
/// A statement is sent by the calling task without blocking (`PQsendQueryParams`,
/// `PQsendQueryPrepared`, `PQflush`); the ``PostgresEventLoop`` thread reads the answer
/// (`PQconsumeInput`, `PQisBusy`, `PQgetResult`) and resumes the task. All use of the handle is
/// under one lock, so the connection is safe to share; it runs one statement at a time (a pool lends
/// it to one caller). Statements are prepared on first use and reused.
///
/// A statement stops early when its caller is cancelled (its task, or its request's
/// ``CancellationSignal``: the caller gets `CancellationError`) or when it passes the statement timeout
/// (a `57014` error): the connection asks the server to cancel it with `PQcancel`.
package final class PostgresConnection: Sendable {
    /// Why a running statement was cancelled.
    enum CancelReason: Sendable {
        /// Its caller went away.
        case caller
        /// It ran past the statement timeout.
        case deadline
    }

    private struct Operation {
        let id: UInt64
        let sql: String
        let continuation: CheckedContinuation<PostgresResult, any Error>
        var result: PostgresResult?
        var error: PostgresError?
        var cancelReason: CancelReason?
    }

    private struct State {
        var handle: OpaquePointer?
        var operation: Operation?
        var waitsForWrite = false
        var isBroken = false
        var hasBeenUsed = false
        var nextOperation: UInt64 = 0
        /// The last operation sent (operations are sent in the order they are numbered).
        var lastSent: UInt64 = 0
        /// An operation whose caller gave up before it was sent.
        var cancelledBeforeSending: UInt64?
        var preparedStatements: [String: String] = [:]
        var nextStatementNumber = 0
        /// Cancel requests not yet sent or answered. The server cancels whatever the session runs when a
        /// request arrives, so a connection is not lent again while one may still land on its next statement.
        var cancelsInFlight = 0
        /// Where the notifications the connection receives go, once ``notifications()`` was called.
        var listener: AsyncThrowingStream<PostgresNotification, any Error>.Continuation?
    }

    private let state: Mutex<State>
    /// The address of the session's `PGcancel` (0 once freed). libpq makes `PQcancel` safe to call from any
    /// thread, independently of the `PGconn`; the lock keeps it from being freed while a cancel request
    /// is being sent.
    private let canceller: Mutex<Int>
    private let loop: PostgresEventLoop
    private let statementTimeout: Duration?
    /// The connection's socket.
    let socket: Int32
    /// The process id of the server backend serving this connection.
    package let backendProcessID: Int32

    /// The most statements kept prepared per connection; past it, statements run unprepared.
    static let preparedStatementLimit = 256

    /// Runs a call that blocks (connecting, sending a cancel request) on a thread of its own: such calls
    /// are rare, and on a queue they would take one of the few threads Swift's cooperative pool shares
    /// (on Linux both come from the same dispatch pool), or wait behind one another.
    private static func blockingCall(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    private init(handle: sending OpaquePointer, loop: PostgresEventLoop, statementTimeout: Duration?) {
        self.socket = PQsocket(handle)
        self.backendProcessID = PQbackendPID(handle)
        self.canceller = Mutex(Int(bitPattern: PQgetCancel(handle)))
        self.state = Mutex(State(handle: handle))
        self.loop = loop
        self.statementTimeout = statementTimeout
    }

    // MARK: - Opening and closing

    /// Opens a connection (on a background thread: resolving and connecting block, bounded by
    /// `connect_timeout`), applies the session settings, switches it to nonblocking mode and hands its
    /// socket to `loop`.
    package static func connect(_ parameters: PostgresConnectionParameters, loop: PostgresEventLoop = .shared) async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { continuation in
            blockingCall("evalgw.postgres.connect") {
                continuation.resume(with: Result { () throws(PostgresError) -> PostgresConnection in
                    let handle = try openBlocking(parameters)
                    let connection = PostgresConnection(
                        handle: handle, loop: loop,
                        statementTimeout: parameters.statementTimeoutMilliseconds.flatMap { $0 > 0 ? .milliseconds($0) : nil }
                    )
                    loop.register(connection)
                    return connection
                })
            }
        }
    }

    private static func openBlocking(_ parameters: PostgresConnectionParameters) throws(PostgresError) -> OpaquePointer {
        let keywords = parameters.pairs.map { strdup($0.keyword) }
        let values = parameters.pairs.map { strdup($0.value) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(kind: .connect, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(kind: .connect, message: message)
        }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        if let timeout = parameters.statementTimeoutMilliseconds {
            let sql = "SELECT set_config('statement_timeout', $1, false)"
            let result = String(timeout).withCString { value in
                withUnsafePointer(to: value) { PQexecParams(handle, sql, 1, nil, $0, nil, nil, 0) }
            }
            let status = result.map { PQresultStatus($0) }
            if let result { PQclear(result) }
            guard status == PGRES_TUPLES_OK else {
                let message = trimmed(PQerrorMessage(handle))
                PQfinish(handle)
                throw PostgresError(kind: .connect, message: "setting statement_timeout: \(message)")
            }
        }
        guard PQsetnonblocking(handle, 1) == 0 else {
            PQfinish(handle)
            throw PostgresError(kind: .client, message: "libpq could not switch the connection to nonblocking mode")
        }
        return handle
    }

    /// Closes the connection: stops watching its socket, fails a statement still waiting, and finishes the
    /// session (`PQfinish`).
    package func close() {
        loop.unregister(self)
        let (handle, operation, listener) = state.withLock { state -> (OpaquePointer?, Operation?, AsyncThrowingStream<PostgresNotification, any Error>.Continuation?) in
            defer {
                state.handle = nil
                state.operation = nil
                state.listener = nil
            }
            return (state.handle, state.operation, state.listener)
        }
        listener?.finish()
        canceller.withLock { address in
            if let canceller = OpaquePointer(bitPattern: address) { PQfreeCancel(canceller) }
            address = 0
        }
        if let handle { PQfinish(handle) }
        if operation != nil { loop.end(self) }
        operation?.continuation.resume(throwing: PostgresError(kind: .connectionLost, message: "the connection was closed", sql: operation?.sql))
    }

    // MARK: - State

    /// Whether the connection looks fit for a new statement: open, not broken, with no cancel request in
    /// flight, outside any transaction, and with nothing unread on its socket (an idle session receives
    /// nothing unasked, so readable data means the server ended it).
    package var isReusable: Bool {
        state.withLock { state in
            guard let handle = state.handle, !state.isBroken, state.operation == nil, state.cancelsInFlight == 0,
                  PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE
            else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 0) == 0
        }
    }

    /// Whether libpq knows the connection is broken.
    package var isBroken: Bool {
        state.withLock { state in
            guard let handle = state.handle else { return true }
            return state.isBroken || PQstatus(handle) != CONNECTION_OK
        }
    }

    /// Whether a statement has run on this connection (so a failure may be a stale connection's).
    package var hasBeenUsed: Bool { state.withLock { $0.hasBeenUsed } }

    // MARK: - Statements

    /// Runs one statement with its parameters bound (text format; `nil` is NULL), unprepared.
    @discardableResult
    package func execute(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresResult {
        try await run(sql, parameters) { handle, values in
            PQsendQueryParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
    }

    /// Runs one statement with its parameters bound, preparing it on first use on this connection and
    /// reusing the prepared statement afterwards (until ``preparedStatementLimit`` are prepared).
    @discardableResult
    package func executePrepared(_ sql: String, _ parameters: [String?]) async throws -> PostgresResult {
        enum Plan { case prepared(String), prepare(String), unprepared }
        let plan = state.withLock { state -> Plan in
            if let name = state.preparedStatements[sql] { return .prepared(name) }
            guard state.preparedStatements.count < Self.preparedStatementLimit else { return .unprepared }
            state.nextStatementNumber += 1
            return .prepare("evalgw_\(state.nextStatementNumber)")
        }
        let name: String
        switch plan {
        case .unprepared:
            return try await execute(sql, parameters)
        case .prepared(let known):
            name = known
        case .prepare(let new):
            _ = try await run(sql, []) { handle, _ in PQsendPrepare(handle, new, sql, Int32(parameters.count), nil) }
            state.withLock { $0.preparedStatements[sql] = new }
            name = new
        }
        do {
            return try await run(sql, parameters) { handle, values in
                PQsendQueryPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
            }
        } catch let error as PostgresError where error.sqlState == "0A000" || error.sqlState == "26000" {
            // The table changed shape under the cached plan, or the statement is gone: forget it and run
            // the statement unprepared this once.
            state.withLock { _ = $0.preparedStatements.removeValue(forKey: sql) }
            _ = try? await execute("DEALLOCATE \(name)")
            return try await execute(sql, parameters)
        }
    }

    /// Runs `body` in a transaction; rolls back if it throws.
    package func inTransaction<T>(_ begin: String = "BEGIN", _ body: () async throws -> T) async throws -> T {
        try await execute(begin)
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            if !isBroken { _ = try? await execute("ROLLBACK") }
            throw error
        }
    }

    /// Sends one statement with `send` (given the handle and the parameters as C strings) and waits for
    /// its answer, which the event loop collects.
    private func run(
        _ sql: String, _ parameters: [String?],
        _ send: @escaping @Sendable (OpaquePointer, [UnsafePointer<CChar>?]) -> Int32
    ) async throws -> PostgresResult {
        let operation = state.withLock { state in
            state.nextOperation += 1
            return state.nextOperation
        }
        do {
            return try await CancellationSignal.whileRunning {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresResult, any Error>) in
                    // The loop runs (and times the statement) from before it is sent, so that no answer is missed.
                    loop.begin(self, operation: operation, deadline: statementTimeout.map { .now + $0 })
                    let outcome = state.withLock { state -> Result<Sent, any Error> in
                            if state.cancelledBeforeSending == operation { return .failure(CancellationError()) }
                            guard let handle = state.handle, !state.isBroken else {
                                return .failure(PostgresError(kind: .connectionLost, message: "the connection is closed", sql: sql))
                            }
                            guard state.operation == nil else {
                                return .failure(PostgresError(kind: .client, message: "a connection runs one statement at a time", sql: sql))
                            }
                            state.hasBeenUsed = true
                            state.lastSent = operation
                            guard Self.withCStrings(parameters, { values in send(handle, values) }) == 1 else {
                                return .failure(failure(handle, &state, sql: sql))
                            }
                            let flushed = PQflush(handle)
                            guard flushed >= 0 else { return .failure(failure(handle, &state, sql: sql)) }
                            state.waitsForWrite = flushed == 1
                            state.operation = Operation(id: operation, sql: sql, continuation: continuation)
                            // While it sent, libpq may have read the whole answer already: then no socket
                            // event will announce it.
                            if PQisBusy(handle) == 0, let completion = collect(handle, &state) { return .success(.answered(completion)) }
                            return .success(flushed == 1 ? .waitsForWrite : .sent)
                    }
                    switch outcome {
                    case .failure(let error):
                        loop.end(self)
                        if isBroken { loop.unregister(self) }
                        continuation.resume(throwing: error)
                    case .success(.waitsForWrite):
                        loop.setWaitsForWrite(self, true)
                    case .success(.sent):
                        break
                    case .success(.answered(let completion)):
                        finish(completion)
                    }
                }
            } onCancel: {
                self.cancel(operation: operation, reason: .caller)
            }
        } catch let error as PostgresError where error.sqlState == "57014" {
            // Stopped by a cancel request: the caller's own, or the deadline's.
            if CancellationSignal.isCancelled { throw CancellationError() }
            throw error
        }
    }

    /// What became of a statement just sent.
    private enum Sent {
        /// Sent whole; the answer will come on the socket.
        case sent
        /// Partly sent: the rest goes when the socket is writable.
        case waitsForWrite
        /// Answered already (libpq read the answer while it sent).
        case answered(Completion)
    }

    /// The error libpq reports for a failed send; marks the connection broken when it is.
    private func failure(_ handle: OpaquePointer, _ state: inout State, sql: String) -> PostgresError {
        let broken = PQstatus(handle) != CONNECTION_OK
        if broken { state.isBroken = true }
        return PostgresError(kind: broken ? .connectionLost : .client, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
    }

    // MARK: - Called by the event loop

    /// The socket can be read (or was closed) or written: sends what is left, reads what arrived, and
    /// resumes the waiting statement once its answer is complete.
    func socketIsReady(readable: Bool, writable: Bool) {
        var completion: Completion?
        var stopWaitingForWrite = false
        var broken = false
        var notifications: [PostgresNotification] = []
        var listener: AsyncThrowingStream<PostgresNotification, any Error>.Continuation?
        defer {
            for notification in notifications { listener?.yield(notification) }
            if broken { listener?.finish(throwing: PostgresError(kind: .connectionLost, message: "the listening connection was lost")) }
        }
        state.withLock { state in
            defer {
                listener = state.listener
                if let handle = state.handle, listener != nil { notifications = Self.takeNotifications(handle) }
                if state.isBroken { state.listener = nil }
            }
            guard let handle = state.handle else { return }
            if writable, !state.waitsForWrite {
                // The statement was sent whole by the time the loop saw the socket writable.
                stopWaitingForWrite = true
            }
            if state.waitsForWrite {
                let flushed = PQflush(handle)
                if flushed == 0 {
                    state.waitsForWrite = false
                    stopWaitingForWrite = true
                } else if flushed < 0 {
                    state.isBroken = true
                }
            }
            if state.operation == nil {
                guard readable else { return }
                // An idle connection received something: a notice, or the server ending the session.
                let consumed = PQconsumeInput(handle) != 0
                while PQisBusy(handle) == 0, let result = PQgetResult(handle) { PQclear(result) }
                if !consumed || PQstatus(handle) != CONNECTION_OK { state.isBroken = true }
            } else {
                // Even on a writable event: while it sends, libpq may read (and keep) what arrives.
                if PQconsumeInput(handle) == 0 { state.isBroken = true }
                completion = collect(handle, &state)
            }
            broken = state.isBroken
        }
        if broken { loop.unregister(self) }
        if stopWaitingForWrite { loop.setWaitsForWrite(self, false) }
        if let completion { finish(completion) }
    }

    /// A statement's answer, complete.
    private typealias Completion = (continuation: CheckedContinuation<PostgresResult, any Error>, result: Result<PostgresResult, PostgresError>)

    /// Reads every complete result of the running statement; returns its answer once the statement is
    /// done, or fails it if the connection broke. A server that ends the session sends its error first.
    private func collect(_ handle: OpaquePointer, _ state: inout State) -> Completion? {
        guard state.operation != nil else { return nil }
        while PQisBusy(handle) == 0 {
            guard let result = PQgetResult(handle) else {
                let operation = state.operation!
                state.operation = nil
                if let error = operation.error { return (operation.continuation, .failure(error)) }
                if let result = operation.result { return (operation.continuation, .success(result)) }
                return (operation.continuation, .failure(PostgresError(kind: .client, message: "no result", sql: operation.sql)))
            }
            take(result, into: &state.operation!, handle: handle)
        }
        guard state.isBroken || PQstatus(handle) != CONNECTION_OK else { return nil }
        state.isBroken = true
        let operation = state.operation!
        state.operation = nil
        let error = operation.error ?? PostgresError(kind: .connectionLost, message: Self.trimmed(PQerrorMessage(handle)), sql: operation.sql)
        return (operation.continuation, .failure(error))
    }

    /// Resumes the statement's caller (the loop stops timing it first).
    private func finish(_ completion: Completion) {
        loop.end(self)
        completion.continuation.resume(with: completion.result.mapError { $0 as any Error })
    }

    /// Keeps the first successful result of a statement, or the first error.
    private func take(_ result: OpaquePointer, into operation: inout Operation, handle: OpaquePointer) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            if operation.result == nil, operation.error == nil { operation.result = PostgresResult(handle: result) } else { PQclear(result) }
        default:
            if operation.error == nil {
                let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
                var message = Self.trimmed(PQresultErrorMessage(result))
                if message.isEmpty { message = Self.trimmed(PQerrorMessage(handle)) }
                let kind: PostgresError.Kind = sqlState != nil ? .server : (PQstatus(handle) != CONNECTION_OK ? .connectionLost : .client)
                operation.error = PostgresError(kind: kind, sqlState: sqlState, message: message, sql: operation.sql)
            }
            PQclear(result)
        }
    }

    /// Asks the server to cancel `operation` if it is still running (`PQcancel`, on a background thread:
    /// it opens a connection of its own).
    func cancel(operation: UInt64, reason: CancelReason) {
        let send = state.withLock { state -> Bool in
            guard var running = state.operation, running.id == operation else {
                if operation > state.lastSent { state.cancelledBeforeSending = operation }
                return false
            }
            guard running.cancelReason == nil else { return false }
            running.cancelReason = reason
            state.operation = running
            state.cancelsInFlight += 1
            return true
        }
        guard send else { return }
        Self.blockingCall("evalgw.postgres.cancel") { [self] in
            defer { state.withLock { $0.cancelsInFlight -= 1 } }
            // Only if that statement is still the one running.
            guard state.withLock({ $0.operation?.id == operation }) else { return }
            canceller.withLock { address in
                guard let canceller = OpaquePointer(bitPattern: address) else { return }
                var message = [CChar](repeating: 0, count: 256)
                _ = PQcancel(canceller, &message, Int32(message.count))
            }
        }
    }

    /// Gives up `operation`, which outlived its cancel request: it fails as a lost connection, and the
    /// connection is marked broken (its pool closes it).
    func abandon(operation: UInt64) {
        let continuation = state.withLock { state -> (CheckedContinuation<PostgresResult, any Error>, String)? in
            guard let running = state.operation, running.id == operation else { return nil }
            state.operation = nil
            state.isBroken = true
            return (running.continuation, running.sql)
        }
        if continuation != nil {
            loop.end(self)
            loop.unregister(self)
        }
        continuation?.0.resume(throwing: PostgresError(
            kind: .connectionLost, message: "the server did not answer a cancel request within \(PostgresEventLoop.cancelGrace)", sql: continuation?.1
        ))
    }

    // MARK: - Notifications

    /// The notifications the connection receives from now on (after a `LISTEN` on it), read by the event
    /// loop as they arrive; the sequence ends when the connection is closed and fails when it breaks.
    /// One listener per connection: a second call ends the first sequence.
    package func notifications() -> AsyncThrowingStream<PostgresNotification, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PostgresNotification.self)
        let (previous, isOpen) = state.withLock { state in
            defer { state.listener = state.handle == nil || state.isBroken ? nil : continuation }
            return (state.listener, state.handle != nil && !state.isBroken)
        }
        previous?.finish()
        if isOpen {
            loop.watch(self)
        } else {
            continuation.finish(throwing: PostgresError(kind: .connectionLost, message: "the connection is closed"))
        }
        return stream
    }

    /// Takes the notifications libpq has read.
    private static func takeNotifications(_ handle: OpaquePointer) -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: String(cString: notify.pointee.extra)
            ))
            PQfreemem(notify)
        }
        return notifications
    }

    // MARK: - Helpers

    /// Calls `body` with the parameters as C strings (NULL pointers for `nil`), all in one buffer.
    private static func withCStrings<R>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        if parameters.isEmpty { return body([]) }
        let total = parameters.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 }
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: total)
        defer { buffer.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(parameters.count)
        var offset = 0
        for parameter in parameters {
            guard var parameter else {
                pointers.append(nil)
                continue
            }
            let start = buffer + offset
            parameter.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { start.update(from: base, count: chars.count) }
                }
                offset += bytes.count
            }
            buffer[offset] = 0
            offset += 1
            pointers.append(UnsafePointer(start))
        }
        return body(pointers)
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var message = String(cString: text)
        while let last = message.last, last.isWhitespace { message.removeLast() }
        return message
    }
}
