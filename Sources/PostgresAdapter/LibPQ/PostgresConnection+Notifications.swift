/// A notification delivered by the server to a connection that `LISTEN`s.
package struct PostgresNotification: Sendable, Equatable {
    /// The channel it was sent on.
    package var channel: String
    /// Its payload.
    package var payload: String
}
