/// The adapter-specific keys of one database entry, with typed access that names the key on failure.
public struct AdapterOptions: Sendable, Equatable {
    /// The raw values, keyed by option name.
    public var values: [String: ConfigValue]
    /// The key path of the entry's options (`databases[0]` in the file, `body.options` in an admin
    /// request), for messages.
    public var path: String
    /// Where each option was written, when the source has positions, for messages.
    public var locations: [String: ConfigNode.Location]

    /// Wraps the options of the entry at `path`.
    public init(_ values: [String: ConfigValue] = [:], path: String = "database", locations: [String: ConfigNode.Location] = [:]) {
        self.values = values
        self.path = path
        self.locations = locations
    }

    /// The same options (where they were written does not count).
    public static func == (lhs: AdapterOptions, rhs: AdapterOptions) -> Bool {
        lhs.values == rhs.values && lhs.path == rhs.path
    }

    /// A problem with the option `key`, located where it was written.
    public func problem(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(location: locations[key], key: "\(path).\(key)", problem: problem)
    }

    /// An optional string option.
    public func string(_ key: String) throws(ConfigurationError) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let value): return value
        case .integer(let value): return String(value)
        case let other?: throw problem(key, "expected a string, found '\(other)'")
        }
    }

    /// A required string option.
    public func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw problem(key, "is required")
        }
        return value
    }

    /// An optional integer option within `range`.
    public func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ConfigurationError) -> Int? {
        let number: Int
        switch values[key] {
        case nil, .null: return nil
        case .integer(let value): number = value
        case .string(let text) where Int(text) != nil: number = Int(text)!
        case let other?: throw problem(key, "expected an integer, found '\(other)'")
        }
        guard range.contains(number) else {
            throw problem(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
        }
        return number
    }

    /// An optional number option (integers accepted).
    public func double(_ key: String) throws(ConfigurationError) -> Double? {
        switch values[key] {
        case nil, .null: return nil
        case .integer(let value): return Double(value)
        case .double(let value): return value
        case .string(let text) where Double(text) != nil: return Double(text)!
        case let other?: throw problem(key, "expected a number, found '\(other)'")
        }
    }

    /// An optional boolean option.
    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        switch values[key] {
        case nil, .null: return nil
        case .bool(let value): return value
        case .string("true"): return true
        case .string("false"): return false
        case let other?: throw problem(key, "expected true or false, found '\(other)'")
        }
    }
}
