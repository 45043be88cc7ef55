import EvalGatewayCore

extension TableColumns {
    /// One `?` per column, for an `INSERT`'s values.
    static var placeholders: String { allCases.map { _ in "?" }.joined(separator: ", ") }
}

/// The current row of a statement, read by column.
struct SQLiteRow<Column: TableColumns> {
    let statement: SQLiteStatement

    func text(_ column: Column) -> String { statement.text(Int32(column.rawValue)) }
    func optionalText(_ column: Column) -> String? { statement.optionalText(Int32(column.rawValue)) }
    func int64(_ column: Column) -> Int64 { statement.int64(Int32(column.rawValue)) }
    func optionalInt64(_ column: Column) -> Int64? { statement.optionalInt64(Int32(column.rawValue)) }
}
