public import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTP1
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The gateway's HTTP/1.1 connections: Hummingbird's HTTP/1 pipeline with the gateway's connection
/// rules around it.
///
/// Idle keep-alive connections close after ``ConnectionTimeouts/idle`` (Hummingbird's connection state
/// handler), and requests that do not arrive within ``ConnectionTimeouts/read`` are dropped
/// (``HTTPRequestGuard``).
///
/// The pipeline of each connection, from the socket inwards:
/// ``RequestBytesTap`` → NIO's HTTP/1 decoder (head limits: ``RequestHeadLimits``) and encoder →
/// the HTTP types codec → ``HTTPRequestGuard`` → ``ExpectContinueHandler`` → Hummingbird's connection
/// state handler → the request handling.
public struct GatewayHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    public typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    public let responder: HTTPChannelHandler.Responder
    /// The idle and read timeouts.
    public let timeouts: ConnectionTimeouts
    /// The head size limits of the decoder.
    public let headLimits: RequestHeadLimits
    /// The request series that rejected heads are counted in.
    public let metrics: HTTPRequestMetrics?

    /// Creates the child channel for `responder`.
    public init(
        responder: @escaping HTTPChannelHandler.Responder,
        timeouts: ConnectionTimeouts = ConnectionTimeouts(),
        headLimits: RequestHeadLimits = RequestHeadLimits(),
        metrics: HTTPRequestMetrics? = nil
    ) {
        self.responder = responder
        self.timeouts = timeouts
        self.headLimits = headLimits
        self.metrics = metrics
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let requestGuard = HTTPRequestGuard(limits: headLimits, readTimeout: timeouts.read, metrics: metrics, logger: logger)
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = headLimits.maxHeadBytes
            decoderLimits.maxHeaderListSize = headLimits.maxHeadBytes
            decoderLimits.maxHeaderFieldCount = headLimits.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(RequestBytesTap(feeding: requestGuard))
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // the request handling reads one request at a time
                withErrorHandling: false,  // the guard answers decoding errors
                withOutboundHeaderValidation: false,  // HTTP types validate the fields already
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(requestGuard)
            try pipeline.addHandler(ExpectContinueHandler())
            try pipeline.addHandler(ClientDisconnectHandler())
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: timeouts.idle, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    public func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the gateway's connection rules (``GatewayHTTP1Channel``): malformed requests are
    /// client errors answered with the surface's error body, idle and slow connections are closed after
    /// `timeouts`; rejected heads are counted in `metrics`.
    public static func gateway(
        timeouts: ConnectionTimeouts = ConnectionTimeouts(),
        headLimits: RequestHeadLimits = RequestHeadLimits(),
        metrics: HTTPRequestMetrics? = nil
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatewayHTTP1Channel(responder: responder, timeouts: timeouts, headLimits: headLimits, metrics: metrics)
        }
    }
}
