import NIOCore

/// Shows a connection's ``HTTPRequestGuard`` the raw bytes of each read before the HTTP/1 decoder
/// parses them, so the guard knows when a request head starts and which surface its request line names,
/// and drops them once the connection is closing.
final class RequestBytesTap: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let requestGuard: HTTPRequestGuard

    /// A tap feeding `requestGuard` (the guard of the same connection).
    init(feeding requestGuard: HTTPRequestGuard) { self.requestGuard = requestGuard }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if requestGuard.observe(unwrapInboundIn(data)) { context.fireChannelRead(data) }
    }
}

@available(*, unavailable)
extension RequestBytesTap: Sendable {}
