/// A request whose head or body did not arrive within the read timeout (``ConnectionTimeouts/read``).
///
/// The connection is dropped; a route that was reading the body meets this error, so the request is
/// counted and logged as a client error (408) rather than a server error, though no answer is sent.
public struct RequestReadTimeoutError: Error, Sendable, Equatable {
    /// The timeout that passed.
    public var timeout: Duration

    /// Creates an error.
    public init(timeout: Duration) { self.timeout = timeout }

    /// A sentence for the log.
    public var message: String { "The request body did not arrive within \(timeout)" }
}
