/// The columns of a table that the SQL adapters keep, in the order their statements select and insert
/// them: a column's raw value is its position in a row. One description per table serves every adapter;
/// each adapter adds only its own SQL (placeholders, casts).
public protocol TableColumns: CaseIterable, Sendable, RawRepresentable where RawValue == Int, AllCases == [Self] {
    /// The column's name in the table.
    var name: String { get }
}

extension TableColumns {
    /// The column names, in order: a select list, or the column list of an `INSERT`.
    public static var nameList: String { allCases.map(\.name).joined(separator: ", ") }
}
