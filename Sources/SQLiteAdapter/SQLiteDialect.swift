import EvalGatewayCore

/// SQLite's way to write the conditions of a query: `?` placeholders, and a list as one JSON array
/// parameter read with `json_each`.
struct SQLiteDialect: SQLDialect {
    func placeholder(_ number: Int, for value: SQLParameterValue) -> String { "?" }

    func isOneOf(_ column: String, list placeholder: String) -> String {
        "\(column) IN (SELECT value FROM json_each(\(placeholder)))"
    }

    /// The value to bind.
    static func value(_ value: SQLParameterValue) -> SQLiteValue {
        switch value {
        case .text(let text):
            return .text(text)
        case .integer(let integer):
            return .integer(integer)
        case .textList(let texts):
            var writer = JSONWriter()
            writer.write(strings: texts)
            return .text(writer.text)
        }
    }
}
