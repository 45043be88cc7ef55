/// The errors of the storage contract. Their messages are safe to show a client; what a driver said
/// is kept apart, in ``underlying``, for the log only.
public enum StorageError: Error, Sendable, Equatable {
    /// The addressed record does not exist.
    case notFound(String)
    /// The operation conflicts with the record's state (a duplicate id, a running job).
    case conflict(String)
    /// The request is invalid for this backend (a value it cannot store).
    case invalid(String)
    /// The backend cannot be reached or is overloaded; the client may retry after `retryAfter` seconds.
    case unavailable(underlying: String, retryAfter: Int = 5)
    /// Anything else: a bug or an unexpected driver failure. `underlying` is for the log only.
    case `internal`(underlying: String)

    /// The kind of error, as a stable label (metrics, logs).
    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .invalid
        case .unavailable: .unavailable
        case .internal: .internal
        }
    }

    /// The kinds of storage error.
    public enum Kind: String, Sendable, CaseIterable {
        case notFound = "not_found"
        case conflict
        case invalid
        case unavailable
        case `internal`
    }

    /// The driver's own words, for the log; `nil` for errors whose message says it all.
    public var underlying: String? {
        switch self {
        case .unavailable(let text, _), .internal(let text): text
        default: nil
        }
    }

    /// Wraps any error as a storage error: storage errors pass through, anything else is internal.
    public init(_ error: any Error) {
        if let error = error as? StorageError { self = error } else { self = .internal(underlying: String(describing: error)) }
    }
}
