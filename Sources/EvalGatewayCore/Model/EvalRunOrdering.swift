/// The order of a list, spelled out for adapters that sort in Swift (SQL adapters say the same in SQL):
/// values compare by their UTF-8 bytes (SQLite's BINARY, Postgres's `COLLATE "C"`), nulls come first in
/// ascending order and last in descending order, and ties are broken by run id in the same direction.
public struct EvalRunOrdering: Sendable {
    /// The column.
    public let column: EvalRunColumn
    /// The direction.
    public let order: SortOrder

    /// An ordering by `column` in `order`.
    public init(column: EvalRunColumn, order: SortOrder) {
        self.column = column
        self.order = order
    }

    /// Whether `lhs` comes before `rhs`.
    public func areInIncreasingOrder(_ lhs: EvalRun, _ rhs: EvalRun) -> Bool {
        let comparison = Self.compare(Self.key(lhs, column), Self.key(rhs, column))
        let result = comparison != 0 ? comparison : Self.compare(.text(lhs.id), .text(rhs.id))
        return order == .ascending ? result < 0 : result > 0
    }

    private enum Key {
        case null
        case integer(Int64)
        case text(String)
    }

    private static func key(_ run: EvalRun, _ column: EvalRunColumn) -> Key {
        func text(_ value: String?) -> Key { value.map(Key.text) ?? .null }
        switch column {
        case .runID: return .text(run.id)
        case .evalType: return .text(run.evalType.rawValue)
        case .name: return text(run.name)
        case .agentID: return text(run.agentID)
        case .teamID: return text(run.teamID)
        case .workflowID: return text(run.workflowID)
        case .modelID: return text(run.modelID)
        case .modelProvider: return text(run.modelProvider)
        case .evaluatedComponentName: return text(run.evaluatedComponentName)
        case .userID: return text(run.userID)
        case .createdAt: return .integer(run.createdAt)
        case .updatedAt: return run.updatedAt.map(Key.integer) ?? .null
        }
    }

    private static func compare(_ lhs: Key, _ rhs: Key) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.integer(let a), .integer(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.text(let a), .text(let b)):
            if a.isBytewiseEqual(to: b) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case (.integer, .text): return -1
        case (.text, .integer): return 1
        }
    }
}

extension EvalRunQuery {
    /// Whether `run` passes this query's filters (for adapters that filter in Swift). Values compare by
    /// their UTF-8 bytes, as SQL adapters compare them.
    public func matches(_ run: EvalRun) -> Bool {
        if let agentID, !run.agentID.isBytewiseEqual(to: agentID) { return false }
        if let teamID, !run.teamID.isBytewiseEqual(to: teamID) { return false }
        if let workflowID, !run.workflowID.isBytewiseEqual(to: workflowID) { return false }
        if let modelID, !run.modelID.isBytewiseEqual(to: modelID) { return false }
        if let evalTypes, !evalTypes.contains(where: { $0.rawValue.isBytewiseEqual(to: run.evalType.rawValue) }) { return false }
        switch componentType {
        case .agent?: if run.agentID == nil { return false }
        case .team?: if run.teamID == nil { return false }
        case .workflow?: if run.workflowID == nil { return false }
        case nil: break
        }
        return true
    }
}
