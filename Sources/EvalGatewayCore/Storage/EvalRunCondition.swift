/// One condition of a `WHERE` clause over an eval-runs table, described once for every SQL adapter: a
/// list (``EvalRunQuery/conditions``) or a delete by filter (``EvalRunFilter/conditions``) is a list of
/// these, and each adapter renders it with ``SQLDialect`` — its placeholders, its way to bind a list — so a
/// new filter is added here and nowhere else.
public enum EvalRunCondition: Sendable, Equatable {
    /// The column equals the text, compared byte for byte.
    case equals(EvalRunColumn, String)
    /// The column is not NULL.
    case isSet(EvalRunColumn)
    /// `eval_type` is one of these.
    case evalTypeIsOneOf([EvalType])
    /// `created_at` is before this time (exclusive), epoch seconds.
    case createdBefore(Int64)
    /// `created_at` is at or after this time (inclusive), epoch seconds.
    case createdAtOrAfter(Int64)
}

/// A value a condition binds as one parameter.
public enum SQLParameterValue: Sendable, Equatable {
    /// Text.
    case text(String)
    /// A 64-bit integer.
    case integer(Int64)
    /// A list of texts, bound as one parameter (an array, a JSON array) so that no length meets a limit.
    case textList([String])
}

/// How an SQL dialect writes a bound parameter: SQLite's `?`, Postgres's `$n` with its type.
public protocol SQLDialect: Sendable {
    /// The placeholder of parameter `number` (counted from 1 over the whole statement) that will hold
    /// `value`.
    func placeholder(_ number: Int, for value: SQLParameterValue) -> String
    /// The condition "`column` is one of the texts of the list bound at `placeholder`".
    func isOneOf(_ column: String, list placeholder: String) -> String
}

extension Array where Element == EvalRunCondition {
    /// The conditions joined by `AND`, in `dialect`, with their values in parameter order; the first
    /// parameter is numbered `firstParameter`. Empty for no conditions.
    public func sql(_ dialect: some SQLDialect, firstParameter: Int = 1) -> (sql: String, values: [SQLParameterValue]) {
        var clauses: [String] = []
        var values: [SQLParameterValue] = []
        func bind(_ value: SQLParameterValue) -> String {
            values.append(value)
            return dialect.placeholder(firstParameter + values.count - 1, for: value)
        }
        for condition in self {
            switch condition {
            case .equals(let column, let value):
                clauses.append("\(column.rawValue) = \(bind(.text(value)))")
            case .isSet(let column):
                clauses.append("\(column.rawValue) IS NOT NULL")
            case .evalTypeIsOneOf(let types):
                clauses.append(dialect.isOneOf(EvalRunColumn.evalType.rawValue, list: bind(.textList(types.map(\.rawValue)))))
            case .createdBefore(let time):
                clauses.append("\(EvalRunColumn.createdAt.rawValue) < \(bind(.integer(time)))")
            case .createdAtOrAfter(let time):
                clauses.append("\(EvalRunColumn.createdAt.rawValue) >= \(bind(.integer(time)))")
            }
        }
        return (clauses.joined(separator: " AND "), values)
    }
}

extension EvalRunQuery {
    /// The list's filters as conditions: the ids given, the component type, the eval types.
    public var conditions: [EvalRunCondition] {
        var conditions: [EvalRunCondition] = []
        for (column, value) in [(EvalRunColumn.agentID, agentID), (.teamID, teamID), (.workflowID, workflowID), (.modelID, modelID)] {
            if let value { conditions.append(.equals(column, value)) }
        }
        switch componentType {
        case .agent?: conditions.append(.isSet(.agentID))
        case .team?: conditions.append(.isSet(.teamID))
        case .workflow?: conditions.append(.isSet(.workflowID))
        case nil: break
        }
        if let evalTypes { conditions.append(.evalTypeIsOneOf(evalTypes)) }
        return conditions
    }
}

extension EvalRunFilter {
    /// The filter as conditions (none for an empty filter, which stores refuse).
    public var conditions: [EvalRunCondition] {
        let texts = [(EvalRunColumn.userID, userID), (.agentID, agentID), (.teamID, teamID), (.workflowID, workflowID), (.modelID, modelID)]
        var conditions: [EvalRunCondition] = texts.compactMap { column, value in value.map { .equals(column, $0) } }
        if let evalTypes { conditions.append(.evalTypeIsOneOf(evalTypes)) }
        if let createdBefore { conditions.append(.createdBefore(createdBefore)) }
        if let createdAfter { conditions.append(.createdAtOrAfter(createdAfter)) }
        return conditions
    }
}
