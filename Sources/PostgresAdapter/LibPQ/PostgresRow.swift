import EvalGatewayCore

/// The columns of a table as statements select them: the order of the cases is the order of the select
/// list, so a row is read by column name and adding a column cannot shift the other reads.
protocol PostgresColumns: TableColumns {
    /// The column as the select list reads it (a JSON column as text: `results::text AS results`); by
    /// default its name.
    var selected: String { get }
}

extension PostgresColumns {
    var selected: String { name }

    /// The select list: every column, in order.
    static var selectList: String { allCases.map(\.selected).joined(separator: ", ") }
}

/// One row of a ``PostgresResult``, read by column: the columns of `Column` start at `offset` (where a
/// statement selects other values before them).
struct PostgresRow<Column: PostgresColumns> {
    let result: PostgresResult
    let row: Int
    var offset = 0

    private func index(_ column: Column) -> Int { offset + column.rawValue }

    func isNull(_ column: Column) -> Bool { result.isNull(row, index(column)) }
    func string(_ column: Column) -> String { result.string(row, index(column)) }
    func optionalString(_ column: Column) -> String? { result.optionalString(row, index(column)) }
    func int64(_ column: Column) -> Int64 { result.int64(row, index(column)) }
    func optionalInt64(_ column: Column) -> Int64? { result.optionalInt64(row, index(column)) }
}
