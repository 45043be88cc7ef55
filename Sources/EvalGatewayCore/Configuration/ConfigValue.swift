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

/// A configuration problem: the key (a dotted path such as `databases[1].path`) and what is wrong.
/// The loader adds the file name.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in, when known.
    public var file: String?
    /// The dotted path of the key.
    public var key: String
    /// What is wrong, as a sentence a user can act on.
    public var problem: String

    /// Creates an error for `key`.
    public init(file: String? = nil, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        "\(file.map { "\($0): " } ?? "")\(key): \(problem)"
    }
}

/// The adapter-specific keys of one database entry, with typed access that names the key on failure.
public struct AdapterOptions: Sendable, Equatable {
    /// The raw values, keyed by option name.
    public var values: [String: ConfigValue]
    /// The key path of the database entry (e.g. `databases[0]`), for messages.
    public var path: String

    /// Wraps the options of the entry at `path`.
    public init(_ values: [String: ConfigValue] = [:], path: String = "database") {
        self.values = values
        self.path = path
    }

    /// An optional string option.
    public func string(_ key: String) throws(ConfigurationError) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let value): return value
        case .integer(let value): return String(value)
        case let other?: throw ConfigurationError(key: "\(path).\(key)", problem: "expected a string, found '\(other)'")
        }
    }

    /// A required string option.
    public func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "is required")
        }
        return value
    }

    /// An optional integer option within `range`.
    public func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ConfigurationError) -> Int? {
        let number: Int
        switch values[key] {
        case nil, .null: return nil
        case .integer(let value): number = value
        case let other?: throw ConfigurationError(key: "\(path).\(key)", problem: "expected an integer, found '\(other)'")
        }
        guard range.contains(number) else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
        }
        return number
    }

    /// An optional number option (integers accepted).
    public func double(_ key: String) throws(ConfigurationError) -> Double? {
        switch values[key] {
        case nil, .null: return nil
        case .integer(let value): return Double(value)
        case .double(let value): return value
        case let other?: throw ConfigurationError(key: "\(path).\(key)", problem: "expected a number, found '\(other)'")
        }
    }

    /// An optional boolean option.
    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        switch values[key] {
        case nil, .null: return nil
        case .bool(let value): return value
        case let other?: throw ConfigurationError(key: "\(path).\(key)", problem: "expected true or false, found '\(other)'")
        }
    }
}
