/// How long a connection may keep the gateway waiting (`server.idle_timeout_seconds` and
/// `server.read_timeout_seconds` in configuration), so that slow-drip sockets are not held forever.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// How long a keep-alive connection may sit with no request before it is closed.
    public var idle: Duration
    /// How long a request's head may take to arrive, from its first byte, and its body, from the end of
    /// the head. A request that takes longer is dropped: the connection closes without an answer.
    public var read: Duration

    /// Creates timeouts; the defaults are those of the shipped configuration (60 s idle, 30 s read).
    public init(idle: Duration = .seconds(60), read: Duration = .seconds(30)) {
        self.idle = idle
        self.read = read
    }
}
