/// Where a pool asks before it opens a connection, so that one limit can hold across every database
/// of a gateway. A pool takes one reservation per connection it opens and gives it back when that
/// connection closes.
public protocol ConnectionBudget: Sendable {
    /// Takes one reservation; `false` when the limit is reached (the pool then opens nothing and its
    /// requests wait for one of its own connections to come free, or time out).
    func reserve() -> Bool
    /// Gives back a reservation taken by ``reserve()``.
    func release()
}

/// No limit beyond each pool's own size.
public struct UnlimitedConnectionBudget: ConnectionBudget {
    /// Creates the budget.
    public init() {}
    public func reserve() -> Bool { true }
    public func release() {}
}
