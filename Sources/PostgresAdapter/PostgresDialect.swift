import EvalGatewayCore

/// Postgres's way to write the conditions of a query: `$n` placeholders, typed where the text format needs
/// it, and a list as one `text[]` parameter (`= ANY($n::text[])`).
struct PostgresDialect: SQLDialect {
    func placeholder(_ number: Int, for value: SQLParameterValue) -> String {
        switch value {
        case .text: "$\(number)"
        case .integer: "$\(number)::bigint"
        case .textList: "$\(number)::text[]"
        }
    }

    func isOneOf(_ column: String, list placeholder: String) -> String {
        "\(column) = ANY(\(placeholder))"
    }

    /// A value in libpq's text format.
    static func text(_ value: SQLParameterValue) -> String? {
        switch value {
        case .text(let text): text
        case .integer(let integer): String(integer)
        case .textList(let texts): PostgresArrayLiteral.text(texts)
        }
    }
}
