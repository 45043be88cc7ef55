public import EvalGatewayCore
public import Hummingbird
import Synchronization

/// The request context of every gateway route: Hummingbird's core storage plus the request id and the
/// authenticated token.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id: the client's `X-Request-Id` when it sent a usable one, else a generated one.
    /// Returned in the response header and carried by every log line and 5xx body.
    public var requestID: String
    /// The principal the request authenticated as — a bearer token, or a SigV4 access key's principal;
    /// `nil` when the gateway is open.
    public var token: AccessToken?
    /// What the request resolved to, for its log line (shared with the log middleware).
    public let trace = RequestTrace()
    /// Fires when the client goes away (see ``ClientDisconnectHandler``); `nil` in in-process tests.
    public let cancellation: CancellationSignal?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.cancellation = ClientConnections.signal(for: source.channel)
        self.requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? RequestID.generate()
        self.token = nil
    }
}

/// The database a request resolved to, recorded by the route and read by the request log.
public final class RequestTrace: Sendable {
    private let target = Mutex<(databaseID: String, adapter: String)?>(nil)

    /// Records the resolved database.
    public func record(databaseID: String, adapter: String) { target.withLock { $0 = (databaseID, adapter) } }

    /// The resolved database, if the request got that far.
    public var resolved: (databaseID: String, adapter: String)? { target.withLock { $0 } }
}

/// Request ids.
enum RequestID {
    /// A new random id (16 hex digits).
    static func generate() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The client's id if it is short and printable ASCII, else `nil`.
    static func accept(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return value
    }
}
