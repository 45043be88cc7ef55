/// The columns of a table as statements select them: the order of the cases is the order of the select
/// list, so a row is read by column name and adding a column cannot shift the other reads.
protocol SQLiteColumns: CaseIterable, RawRepresentable where RawValue == Int32, AllCases == [Self] {
    /// The column's name in the table.
    var name: String { get }
}

extension SQLiteColumns {
    /// The column names, in order: the select list, or the column list of an `INSERT`.
    static var nameList: String { allCases.map(\.name).joined(separator: ", ") }

    /// One `?` per column, for an `INSERT`'s values.
    static var placeholders: String { allCases.map { _ in "?" }.joined(separator: ", ") }
}

/// The current row of a statement, read by column.
struct SQLiteRow<Column: SQLiteColumns> {
    let statement: SQLiteStatement

    func text(_ column: Column) -> String { statement.text(column.rawValue) }
    func optionalText(_ column: Column) -> String? { statement.optionalText(column.rawValue) }
    func int64(_ column: Column) -> Int64 { statement.int64(column.rawValue) }
    func optionalInt64(_ column: Column) -> Int64? { statement.optionalInt64(column.rawValue) }
}
