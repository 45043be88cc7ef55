import Foundation

/// One value of a configuration document — a YAML file or a JSON request body — before it is decoded
/// into typed configuration: a scalar (with whether it was quoted), a mapping (keys in document order),
/// a sequence, or null, and where it was written when the source has positions.
///
/// Both sources decode through the same ``ConfigDecoder``, so an entry of the file and the body of an
/// admin request are checked by the same code and fail with the same sentences.
public struct ConfigNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        /// A scalar's text. `quoted` is true for YAML quoted scalars and JSON strings: such text is always
        /// a string, never read as a number, boolean or null.
        case scalar(String, quoted: Bool)
        /// A mapping, its keys in document order.
        case mapping([(key: String, value: ConfigNode)])
        /// A sequence.
        case sequence([ConfigNode])
        /// An explicit or empty null.
        case null
    }

    /// Where a node was written: 1-based line and column.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        /// The line, from 1.
        public var line: Int
        /// The column, from 1.
        public var column: Int

        /// Creates a location.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public var description: String { "\(line):\(column)" }
    }

    /// What the node holds.
    public var content: Content
    /// Where it was written, if the source has positions.
    public var location: Location?

    /// Creates a node.
    public init(_ content: Content, location: Location? = nil) {
        self.content = content
        self.location = location
    }

    /// The member `key` of a mapping node.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let members) = content else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short rendering of the node for messages (`'abc'`, `a list`, `a mapping`, `null`).
    var shortDescription: String {
        switch content {
        case .scalar(let text, _): "'\(text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .null: "null"
        }
    }
}

extension ConfigNode {
    /// Parses a JSON document (an admin request body). JSON has no positions worth reporting: problems
    /// name the key path only.
    public init(json bytes: some Collection<UInt8>) throws(ConfigurationError) {
        do {
            self = try JSONDecoder().decode(JSONNode.self, from: Data(bytes)).node
        } catch {
            throw ConfigurationError(key: "body", problem: "is not valid JSON")
        }
    }

    /// The value as a ``ConfigValue`` (scalars typed as YAML types them: unquoted `8` is an integer).
    public var value: ConfigValue {
        switch content {
        case .null: return .null
        case .sequence(let items): return .list(items.map(\.value))
        case .mapping(let members):
            var map: [String: ConfigValue] = [:]
            for member in members { map[member.key] = member.value.value }
            return .map(map)
        case .scalar(let text, let quoted):
            return quoted ? .string(text) : ConfigValue(plainScalar: text)
        }
    }
}

/// Decodes any JSON value into a node, keeping strings apart from numbers and booleans.
private struct JSONNode: Decodable {
    let node: ConfigNode

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [(key: String, value: ConfigNode)] = []
            for key in object.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                members.append((key.stringValue, try object.decode(JSONNode.self, forKey: key).node))
            }
            node = ConfigNode(.mapping(members))
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [ConfigNode] = []
            while !array.isAtEnd { items.append(try array.decode(JSONNode.self).node) }
            node = ConfigNode(.sequence(items))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            node = ConfigNode(.null)
        } else if let flag = try? single.decode(Bool.self) {
            node = ConfigNode(.scalar(flag ? "true" : "false", quoted: false))
        } else if let text = try? single.decode(String.self) {
            node = ConfigNode(.scalar(text, quoted: true))
        } else if let integer = try? single.decode(Int.self) {
            node = ConfigNode(.scalar(String(integer), quoted: false))
        } else {
            node = ConfigNode(.scalar(String(try single.decode(Double.self)), quoted: false))
        }
    }
}
