/// A value read from the configuration file, before an adapter or the gateway gives it a meaning.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case list([ConfigValue])
    case map([String: ConfigValue])
    case null

    public var description: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let members): "{" + members.keys.sorted().map { "\($0): \(members[$0]!)" }.joined(separator: ", ") + "}"
        case .null: "null"
        }
    }
}

extension ConfigValue {
    /// Types an unquoted scalar as YAML does: `~`, `null` or nothing is null, `true`/`false` a boolean,
    /// `8` an integer, `2.5` a number, anything else a string.
    public init(plainScalar text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            if let integer = Int(text) {
                self = .integer(integer)
            } else if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let number = Double(text), number.isFinite {
                self = .double(number)
            } else {
                self = .string(text)
            }
        }
    }
}
