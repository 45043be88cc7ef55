/// Where a pool asks before it opens a connection, so that one limit can hold across every database
/// of a gateway. A pool takes one reservation per connection it opens and gives it back when that
/// connection closes.
public protocol ConnectionBudget: Sendable {
    /// Takes one reservation; `false` when the limit is reached (the pool then opens nothing and its
    /// requests wait for one of its own connections to come free, or time out).
    func reserve() -> Bool
    /// Gives back a reservation taken by ``reserve()``.
    func release()
    /// Tells the budget about a pool whose idle connections it may close when the limit is reached.
    func register(_ pool: any IdleConnectionReclaiming)
    /// Asks the budget to call `pool`'s ``IdleConnectionReclaiming/budgetHasRoom()`` once a reservation is
    /// given back, after ``reserve()`` refused it.
    func notifyWhenRoom(_ pool: any IdleConnectionReclaiming)
}

extension ConnectionBudget {
    public func register(_ pool: any IdleConnectionReclaiming) {}
    public func notifyWhenRoom(_ pool: any IdleConnectionReclaiming) {}
}

/// A pool whose idle connections a gateway-wide budget may close.
public protocol IdleConnectionReclaiming: AnyObject, Sendable {
    /// How long its longest-idle connection has been idle; `nil` when none is idle.
    var longestIdle: Duration? { get }
    /// Closes its longest-idle connection (its reservation is given back once closed); `false` when none
    /// was idle.
    func reclaimIdleConnection() -> Bool
    /// The budget has room again after refusing this pool: it opens a connection if a request still
    /// waits, and says whether it did.
    func budgetHasRoom() -> Bool
}

/// No limit beyond each pool's own size.
public struct UnlimitedConnectionBudget: ConnectionBudget {
    /// Creates the budget.
    public init() {}
    public func reserve() -> Bool { true }
    public func release() {}
}
