public import NIOCore
import NIOHTTPTypes
import EvalGatewayCore
import Synchronization

/// Notices when a client goes away — it closes its connection (or only its sending side, which an HTTP
/// client does when it gives up) — and fires that connection's ``CancellationSignal``, so that the
/// backend stops the statement it runs for the request in flight (`PQcancel`, `sqlite3_interrupt`)
/// instead of finishing it for no one.
///
/// Sits in the HTTP/1 pipeline after the codec (see ``GatewayServer``); requests find their
/// connection's signal through ``ClientConnections``.
public final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart

    private let signal = CancellationSignal()

    /// Creates a handler (one per connection).
    public init() {}

    public func handlerAdded(context: ChannelHandlerContext) {
        ClientConnections.register(signal, for: context.channel)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        ClientConnections.remove(context.channel)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed? = event as? ChannelEvent { signal.fire() }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        signal.fire()
        ClientConnections.remove(context.channel)
        context.fireChannelInactive()
    }
}

/// The ``CancellationSignal`` of each open client connection, by channel.
public enum ClientConnections {
    private static let signals = Mutex<[ObjectIdentifier: CancellationSignal]>([:])

    static func register(_ signal: CancellationSignal, for channel: any Channel) {
        signals.withLock { $0[ObjectIdentifier(channel)] = signal }
    }

    static func remove(_ channel: any Channel) {
        _ = signals.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// The signal that fires when the client of `channel` goes away; `nil` for a channel without a
    /// ``ClientDisconnectHandler`` (in-process tests).
    public static func signal(for channel: any Channel) -> CancellationSignal? {
        signals.withLock { $0[ObjectIdentifier(channel)] }
    }
}
