import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Keeps a connection's malformed requests client errors, as a rule of the connection rather than of
/// any route.
///
/// Sits in the HTTP/1 pipeline right after the codec (see ``GatewayHTTP1Channel``) and takes the
/// decoder's errors before Hummingbird does:
/// - an error inside a request's body (a bad chunk, a body cut short) reaches the request's route as a
///   ``MalformedRequestError`` when it reads the body, so the route's surface answers it — 400 with its
///   error body, counted and logged as a client error;
/// - an error in a head (garbage, or a head over the size limit) never reaches a route: the guard answers
///   it itself — 400, or 431 for a head over the limit — with the error body of the surface the request
///   line names, and counts it as an unmatched request.
///
/// Either way the bytes that follow can no longer be framed, so the connection closes once the answer is
/// written: the output is shut first and the input drained for a moment, so the answer is not lost to a
/// reset while the client is still sending.
///
/// It also enforces the read timeout (``ConnectionTimeouts/read``): a head must arrive within it of its
/// first byte, a body within it of the end of the head, or the connection is dropped — a route reading
/// the body meets a ``RequestReadTimeoutError``. The timer is only set when a read ends with a request
/// incomplete, so a request that arrives in one read costs none.
final class HTTPRequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection is in its stream of requests.
    private enum Phase: Equatable {
        /// Between requests: no byte of the next head has arrived.
        case awaitingHead
        /// Some bytes of a head have arrived, not all of it.
        case readingHead
        /// The head has been read; its body is arriving.
        case readingBody
        /// The stream can no longer be framed: further input and decoder errors are dropped, and the
        /// connection closes once the responses owed are written.
        case failed
        /// The last answer is written and the output shut; the input is drained until the client closes
        /// or ``HTTPRequestGuard/lingerTime`` passes.
        case lingering
    }

    /// How many bytes of a head are kept to find its request line if the head turns out malformed.
    static let headCaptureBytes = 1024
    /// How long a closing connection drains its input after the last answer.
    static let lingerTime = TimeAmount.seconds(2)

    private let limits: RequestHeadLimits
    private let readTimeout: Duration
    private let metrics: HTTPRequestMetrics?
    private let logger: Logger
    private var phase = Phase.awaitingHead
    /// The first bytes of the head being read.
    private var headStart: [UInt8] = []
    /// When the first byte of the head being read arrived.
    private var headStartedAt = NIODeadline.now()
    /// Heads read whose response has not been written to its end.
    private var responsesOwed = 0
    /// Whether the connection closes once the responses owed are written.
    private var closeWhenAnswered = false
    /// The guard's own answer to a malformed head, written after the responses owed.
    private var rejection: (head: HTTPResponse, body: [UInt8])?
    private var lingerTimer: Scheduled<Void>?
    /// When the head or body being read must be complete.
    private var readDeadline: NIODeadline?
    private var readTimer: Scheduled<Void>?

    /// A guard for one connection whose decoder enforces `limits` and whose requests must arrive within
    /// `readTimeout`; head rejections are counted in `metrics`.
    init(limits: RequestHeadLimits, readTimeout: Duration, metrics: HTTPRequestMetrics?, logger: Logger) {
        self.limits = limits
        self.readTimeout = readTimeout
        self.metrics = metrics
        self.logger = logger
    }

    // MARK: - Raw bytes (from ``RequestBytesTap``, before the decoder)

    /// Notes a read's raw bytes before the decoder parses them. Returns whether to pass them on; the
    /// bytes of a connection that is closing are dropped.
    func observe(_ bytes: ByteBuffer) -> Bool {
        switch phase {
        case .awaitingHead:
            guard bytes.readableBytes > 0 else { return true }
            phase = .readingHead
            headStartedAt = .now()
            readDeadline = headStartedAt + TimeAmount(readTimeout)
            headStart.removeAll(keepingCapacity: true)
            capture(bytes)
        case .readingHead:
            capture(bytes)
        case .readingBody:
            break
        case .failed, .lingering:
            return false
        }
        return true
    }

    private func capture(_ bytes: ByteBuffer) {
        let room = Self.headCaptureBytes - headStart.count
        guard room > 0 else { return }
        headStart += bytes.readableBytesView.prefix(room)
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            guard phase == .awaitingHead || phase == .readingHead else { return }
            phase = .readingBody
            headStart.removeAll(keepingCapacity: true)
            readDeadline = .now() + TimeAmount(readTimeout)
            responsesOwed += 1
        case .body:
            guard phase == .readingBody else { return }
        case .end:
            guard phase == .readingBody else { return }
            phase = .awaitingHead
            stopReadTimer()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch phase {
        case .readingHead, .readingBody:
            if readTimer == nil, let readDeadline { startReadTimer(until: readDeadline, context: context) }
        case .lingering:
            context.read()
        case .awaitingHead, .failed:
            break
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch phase {
        case .failed, .lingering:
            return  // what the decoder says about the bytes after the stream broke
        case .awaitingHead, .readingHead, .readingBody:
            break
        }
        guard let malformed = MalformedRequestError(decoding: error, limits: limits) else {
            context.fireErrorCaught(error)
            return
        }
        logger.debug("malformed request", metadata: ["status": .stringConvertible(malformed.status.code), "error": .string(String(describing: error))])
        let inBody = phase == .readingBody
        phase = .failed
        stopReadTimer()
        closeWhenAnswered = true
        if inBody {
            // The request's route answers when it reads the body; if it has answered already, the
            // connection closes.
            context.fireErrorCaught(malformed)
            if responsesOwed == 0 { closeOutput(context: context) }
        } else {
            let surface = RequestSurface(headStart: headStart)
            let requestID = RequestID.generate()
            let (fields, body) = surface.errorResponse(status: malformed.status, message: malformed.message, requestID: requestID)
            var head = HTTPResponse(status: malformed.status, headerFields: fields)
            head.headerFields[.contentLength] = String(body.count)
            head.headerFields[.connection] = "close"
            rejection = (head, body)
            metrics?.record(method: Self.method(of: headStart), route: "unmatched", status: malformed.status.code, duration: headStartedAt.elapsed)
            if responsesOwed == 0 { answer(context: context) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if phase == .lingering, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
    }

    // MARK: - Read timeout

    private func startReadTimer(until deadline: NIODeadline, context: ChannelHandlerContext) {
        readTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.readTimer = nil
            self.readTimerFired(context: context)
        }
    }

    private func readTimerFired(context: ChannelHandlerContext) {
        guard let readDeadline, phase == .readingHead || phase == .readingBody else { return }
        guard NIODeadline.now() >= readDeadline else {
            // The head arrived meanwhile and its body has a later deadline.
            startReadTimer(until: readDeadline, context: context)
            return
        }
        logger.debug(
            "request not received in time, closing the connection",
            metadata: ["part": .string(phase == .readingHead ? "head" : "body"), "timeout": .stringConvertible(readTimeout)]
        )
        if phase == .readingBody { context.fireErrorCaught(RequestReadTimeoutError(timeout: readTimeout)) }
        phase = .failed
        self.readDeadline = nil
        context.close(promise: nil)
    }

    private func stopReadTimer() {
        readDeadline = nil
        readTimer?.cancel()
        readTimer = nil
    }

    private func stopTimers() {
        stopReadTimer()
        lingerTimer?.cancel()
        lingerTimer = nil
    }

    // MARK: - Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where closeWhenAnswered && head.status.kind != .informational:
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .head, .body:
            context.write(data, promise: promise)
        case .end:
            responsesOwed = max(0, responsesOwed - 1)
            guard closeWhenAnswered, responsesOwed == 0 else {
                context.write(data, promise: promise)
                return
            }
            if rejection == nil {
                writeLast(data, promise: promise, context: context)
            } else {
                context.write(data, promise: promise)
                answer(context: context)
            }
        }
    }

    // MARK: - Closing

    /// Writes the guard's own answer, then closes.
    private func answer(context: ChannelHandlerContext) {
        guard let rejection else { return }
        self.rejection = nil
        context.write(wrapOutboundOut(.head(rejection.head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: rejection.body))), promise: nil)
        writeLast(wrapOutboundOut(.end(nil)), promise: nil, context: context)
    }

    /// Writes and flushes the last part of the last answer, and closes once it is out.
    private func writeLast(_ data: NIOAny, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        if let promise { written.futureResult.cascade(to: promise) }
        context.writeAndFlush(data, promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.closeOutput(context: context)
        }
    }

    /// Shuts the output, then drains the input until the client closes or the linger time passes.
    private func closeOutput(context: ChannelHandlerContext) {
        guard phase != .lingering, context.channel.isActive else { return }
        phase = .lingering
        context.close(mode: .output, promise: nil)
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
        }
        context.read()
    }

    /// The method of the request line at the start of `head` (for the request metrics, which keep only
    /// common methods).
    private static func method(of head: [UInt8]) -> String {
        String(decoding: head.prefix(8).prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
    }
}

@available(*, unavailable)
extension HTTPRequestGuard: Sendable {}

extension NIODeadline {
    /// The time since this deadline.
    fileprivate var elapsed: Duration { .nanoseconds((NIODeadline.now() - self).nanoseconds) }
}
