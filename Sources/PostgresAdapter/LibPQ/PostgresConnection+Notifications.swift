import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// A notification delivered by the server to a connection that `LISTEN`s.
package struct PostgresNotification: Sendable, Equatable {
    /// The channel it was sent on.
    package var channel: String
    /// Its payload.
    package var payload: String
}

extension PostgresConnection {
    /// Waits up to `timeoutMilliseconds` for the server to send something on this connection, reads it,
    /// and returns the notifications received (possibly none). Throws when the connection is broken.
    package func waitForNotifications(timeoutMilliseconds: Int32) throws(PostgresError) -> [PostgresNotification] {
        var notifications = takeNotifications()
        guard notifications.isEmpty else { return notifications }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw PostgresError(kind: .connect, message: "the connection has no socket") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        guard ready > 0 else { return [] }
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(kind: .connect, message: String(cString: PQerrorMessage(handle)))
        }
        notifications = takeNotifications()
        if notifications.isEmpty, isBroken {
            throw PostgresError(kind: .connect, message: String(cString: PQerrorMessage(handle)))
        }
        return notifications
    }

    private func takeNotifications() -> [PostgresNotification] {
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
}
