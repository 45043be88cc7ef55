/// Decodes ``ConfigNode`` trees into `Decodable` configuration types, the way the gateway reads every
/// piece of configuration — the file at start, and database and token entries sent to the admin API.
///
/// - Every scalar may be a `${ENV_VAR}` reference (when an environment is given): it is expanded before
///   the scalar is read as a string, an integer or a boolean, so `port: ${PORT}` works.
/// - Keys a type does not know are refused, for any type whose `CodingKeys` are `CaseIterable`.
/// - Every problem is a ``ConfigurationError`` naming the key path (`databases[1].path`, or with a
///   ``keyPrefix`` of `body`, `body.options.path`) and, where the source has positions, its line and
///   column.
///
/// Types add their own checks in `init(from:)` with the helpers on `KeyedDecodingContainer`
/// (``Swift/KeyedDecodingContainer/problem(_:_:)``, ranges, non-empty strings), which report the same way.
public struct ConfigDecoder: Sendable {
    /// The environment `${NAME}` references are expanded from; `nil` leaves scalars as they are written.
    public var environment: [String: String]?
    /// A key path prefix for every message (`body` for a request body).
    public var keyPrefix: String?

    /// Creates a decoder.
    public init(environment: [String: String]? = nil, keyPrefix: String? = nil) {
        self.environment = environment
        self.keyPrefix = keyPrefix
    }

    /// Decodes `type` from `node`.
    public func decode<T: Decodable>(_ type: T.Type, from node: ConfigNode) throws(ConfigurationError) -> T {
        let context = ConfigDecodingContext(root: node, environment: environment, keyPrefix: keyPrefix)
        do {
            return try ConfigDecodingContext.$current.withValue(context) {
                try T(from: NodeDecoder(node: node, codingPath: [], context: context))
            }
        } catch let error as ConfigurationError {
            throw error
        } catch let error as DecodingError {
            throw context.error(from: error)
        } catch {
            throw ConfigurationError(key: context.keyPath([]), problem: "\(error)")
        }
    }
}

/// What one decoding run knows: the root (to locate a key path), the environment and the prefix.
/// Reachable from a type's `init(from:)` as ``current`` while a ``ConfigDecoder`` runs.
public final class ConfigDecodingContext: Sendable {
    let root: ConfigNode
    let environment: [String: String]?
    let keyPrefix: String?

    /// The context of the decoding run in progress on this task, if any.
    @TaskLocal public static var current: ConfigDecodingContext?

    init(root: ConfigNode, environment: [String: String]?, keyPrefix: String?) {
        self.root = root
        self.environment = environment
        self.keyPrefix = keyPrefix
    }

    /// `databases[1].path` for `[databases, 1, path]`, with the prefix; `(document)` for the root.
    public func keyPath(_ path: [any CodingKey]) -> String {
        var text = keyPrefix ?? ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    /// Where the node at `path` was written, or the nearest enclosing node that has a position.
    public func location(_ path: [any CodingKey]) -> ConfigNode.Location? {
        var node = root
        var found = root.location
        for key in path {
            switch node.content {
            case .mapping(let members):
                guard let member = members.first(where: { $0.key == key.stringValue }) else { return found }
                node = member.value
            case .sequence(let items):
                guard let index = key.intValue, items.indices.contains(index) else { return found }
                node = items[index]
            default:
                return found
            }
            found = node.location ?? found
        }
        return found
    }

    /// A problem at `path`.
    public func problem(_ path: [any CodingKey], _ problem: String) -> ConfigurationError {
        ConfigurationError(location: location(path), key: keyPath(path), problem: problem)
    }

    /// Expands `${NAME}` references in `text`; `path` names the key in errors.
    func expand(_ text: String, at path: [any CodingKey]) throws(ConfigurationError) -> String {
        guard let environment, text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw problem(path, "has an unterminated '${' reference")
            }
            let name = String(rest[open.upperBound..<close])
            guard let replacement = environment[name] else {
                throw problem(path, "refers to environment variable \(name), which is not set")
            }
            result += replacement
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A standard library decoding error, said the way configuration errors are.
    func error(from error: DecodingError) -> ConfigurationError {
        switch error {
        case .keyNotFound(let key, let context):
            return problem(context.codingPath + [key], "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return problem(context.codingPath, context.debugDescription)
        @unknown default:
            return problem([], "\(error)")
        }
    }
}

/// The key of a list element (`[3]` in a key path).
public struct ConfigIndexKey: CodingKey {
    public let intValue: Int?
    public var stringValue: String { String(intValue ?? 0) }
    /// The key of element `index`.
    public init(_ index: Int) { intValue = index }
    public init?(intValue: Int) { self.intValue = intValue }
    public init?(stringValue: String) { nil }
}

/// The `Decoder` over one node.
struct NodeDecoder: Decoder {
    let node: ConfigNode
    let codingPath: [any CodingKey]
    let context: ConfigDecodingContext
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let members: [(key: String, value: ConfigNode)]
        switch node.content {
        case .mapping(let found): members = found
        case .null: members = []
        default: throw context.problem(codingPath, "expected a mapping, found \(node.shortDescription)")
        }
        if let known = knownKeys(of: type) {
            for member in members where !known.contains(member.key) {
                throw context.problem(
                    codingPath + [AnyConfigKey(member.key)],
                    "is not a known key (known: \(known.sorted().joined(separator: ", ")))"
                )
            }
        }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(members: members, codingPath: codingPath, context: context))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node.content {
        case .sequence(let items): return NodeUnkeyedContainer(items: items, codingPath: codingPath, context: context)
        case .null: return NodeUnkeyedContainer(items: [], codingPath: codingPath, context: context)
        default: throw context.problem(codingPath, "expected a list, found \(node.shortDescription)")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeScalarContainer(node: node, codingPath: codingPath, context: context)
    }
}

/// Any key by name (unknown keys, dynamic keys).
public struct AnyConfigKey: CodingKey, Hashable {
    public let stringValue: String
    public var intValue: Int? { nil }
    /// A key named `name`.
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

/// The names of a `CaseIterable` key type, or `nil` for one that is not (a dynamic key type).
private func knownKeys<Key: CodingKey>(of type: Key.Type) -> Set<String>? {
    guard let iterable = type as? any (CaseIterable & CodingKey).Type else { return nil }
    return names(of: iterable)
}

private func names<Key: CaseIterable & CodingKey>(of type: Key.Type) -> Set<String> {
    Set(Key.allCases.map(\.stringValue))
}

struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(key: String, value: ConfigNode)]
    let codingPath: [any CodingKey]
    let context: ConfigDecodingContext

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { members.contains { $0.key == key.stringValue } }

    private func member(_ key: Key) throws -> ConfigNode {
        guard let node = members.first(where: { $0.key == key.stringValue })?.value else {
            throw context.problem(codingPath + [key], "is required")
        }
        return node
    }

    private func decoder(_ key: Key) throws -> NodeDecoder {
        NodeDecoder(node: try member(key), codingPath: codingPath + [key], context: context)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key).content { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: decoder(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = members.first(where: { $0.key == key.stringValue })?.value else { return nil }
        if case .null = node.content { return nil }
        return try T(from: NodeDecoder(node: node, codingPath: codingPath + [key], context: context))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: ConfigNode(.mapping(members)), codingPath: codingPath, context: context)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}

struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [ConfigNode]
    let codingPath: [any CodingKey]
    let context: ConfigDecodingContext
    var currentIndex = 0

    init(items: [ConfigNode], codingPath: [any CodingKey], context: ConfigDecodingContext) {
        self.items = items
        self.codingPath = codingPath
        self.context = context
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func nextDecoder() throws -> NodeDecoder {
        guard !isAtEnd else { throw context.problem(codingPath, "has too few items") }
        defer { currentIndex += 1 }
        return NodeDecoder(node: items[currentIndex], codingPath: codingPath + [ConfigIndexKey(currentIndex)], context: context)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = items[currentIndex].content {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: nextDecoder()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try nextDecoder().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }
}

/// A scalar: `${ENV}` expanded, then read as the type asked for.
struct NodeScalarContainer: SingleValueDecodingContainer {
    let node: ConfigNode
    let codingPath: [any CodingKey]
    let context: ConfigDecodingContext

    func decodeNil() -> Bool {
        if case .null = node.content { return true }
        return false
    }

    /// The scalar's text after expansion; `kind` names the expected type in the error.
    private func text(expecting kind: String) throws -> String {
        guard case .scalar(let raw, _) = node.content else {
            throw context.problem(codingPath, "expected \(kind), found \(node.shortDescription)")
        }
        return try context.expand(raw, at: codingPath)
    }

    func decode(_ type: String.Type) throws -> String { try text(expecting: "a string") }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch try text(expecting: "true or false") {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        case let other: throw context.problem(codingPath, "expected true or false, found '\(other)'")
        }
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try text(expecting: "an integer")
        guard let value = T(text) else { throw context.problem(codingPath, "expected an integer, found '\(text)'") }
        return value
    }

    private func number<T: LosslessStringConvertible & BinaryFloatingPoint>(_ type: T.Type) throws -> T {
        let text = try text(expecting: "a number")
        guard let value = T(text), value.isFinite else { throw context.problem(codingPath, "expected a number, found '\(text)'") }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double { try number(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try number(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: NodeDecoder(node: node, codingPath: codingPath, context: context))
    }
}

extension KeyedDecodingContainer {
    /// A problem with `key`, at its position, in the running ``ConfigDecoder``'s terms.
    public func problem(_ key: Key, _ problem: String) -> ConfigurationError {
        let path = codingPath + [key]
        guard let context = ConfigDecodingContext.current else {
            return ConfigurationError(key: path.map(\.stringValue).joined(separator: "."), problem: problem)
        }
        return context.problem(path, problem)
    }

    /// An optional integer within `range`.
    public func decodeIfPresent(_ type: Int.Type, forKey key: Key, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw problem(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// An optional string that, when present, is not empty.
    public func decodeNonEmptyIfPresent(_ type: String.Type, forKey key: Key, emptyProblem: String = "must not be empty") throws -> String? {
        guard let value = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard !value.isEmpty else { throw problem(key, emptyProblem) }
        return value
    }
}

extension Decoder {
    /// A problem with the value being decoded, at its position.
    public func problem(_ problem: String) -> ConfigurationError {
        guard let context = ConfigDecodingContext.current else {
            return ConfigurationError(key: codingPath.map(\.stringValue).joined(separator: "."), problem: problem)
        }
        return context.problem(codingPath, problem)
    }
}

extension ConfigValue: Decodable {
    /// Any node, typed as YAML types scalars, with `${ENV}` references expanded in strings.
    public init(from decoder: any Decoder) throws {
        guard let decoder = decoder as? NodeDecoder else {
            self = .string(try decoder.singleValueContainer().decode(String.self))
            return
        }
        self = try Self.expanded(decoder.node, decoder.codingPath, decoder.context)
    }

    private static func expanded(_ node: ConfigNode, _ path: [any CodingKey], _ context: ConfigDecodingContext) throws -> ConfigValue {
        switch node.content {
        case .null: return .null
        case .scalar(let raw, let quoted):
            let text = try context.expand(raw, at: path)
            return quoted ? .string(text) : ConfigValue(plainScalar: text)
        case .sequence(let items):
            return .list(try items.enumerated().map { index, item in try expanded(item, path + [ConfigIndexKey(index)], context) })
        case .mapping(let members):
            var map: [String: ConfigValue] = [:]
            for member in members { map[member.key] = try expanded(member.value, path + [AnyConfigKey(member.key)], context) }
            return .map(map)
        }
    }
}
