import CLibPQ

/// The rows (or the command status) of one statement: owns its `PGresult*` and clears it when released.
///
/// Values are read in libpq's text format: text columns as their UTF-8 bytes, integers as decimal digits.
///
/// Sendable because libpq makes it so: a `PGresult` is read-only once made and independent of its
/// connection ("PGresult objects are normally read-only after creation, and so can be passed around
/// freely between threads"); the event loop thread makes it and hands it to the task that asked.
package final class PostgresResult: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Takes ownership of a successful result.
    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { PQclear(handle) }

    /// The number of rows.
    package var rowCount: Int { Int(PQntuples(handle)) }

    /// The number of columns.
    package var columnCount: Int { Int(PQnfields(handle)) }

    /// The number of rows an INSERT, UPDATE or DELETE touched (from the command tag, `PQcmdTuples`).
    package var affectedRows: Int {
        guard let tag = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: tag)) ?? 0
    }

    /// Whether the value at `row`, `column` is NULL.
    package func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// The value at `row`, `column` as text (empty for NULL).
    package func string(_ row: Int, _ column: Int) -> String {
        guard let bytes = PQgetvalue(handle, Int32(row), Int32(column)) else { return "" }
        let count = Int(PQgetlength(handle, Int32(row), Int32(column)))
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The value at `row`, `column` as text, or `nil` for NULL.
    package func optionalString(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : string(row, column)
    }

    /// The value at `row`, `column` as an integer, or `nil` for NULL or a value that is not one.
    package func optionalInt64(_ row: Int, _ column: Int) -> Int64? {
        guard !isNull(row, column), let bytes = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        let count = Int(PQgetlength(handle, Int32(row), Int32(column)))
        var value: Int64 = 0
        var negative = false
        for (index, byte) in UnsafeRawBufferPointer(start: bytes, count: count).enumerated() {
            if index == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return Int64(string(row, column)) }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return Int64(string(row, column)) }
            value = sum
        }
        return negative ? -value : value
    }

    /// The value at `row`, `column` as an integer (0 for NULL).
    package func int64(_ row: Int, _ column: Int) -> Int64 { optionalInt64(row, column) ?? 0 }
}
