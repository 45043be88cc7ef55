/// JSON text as a client sent it: checked to be one well-formed JSON value, then kept byte for byte.
///
/// `eval_data` and `eval_input` are stored and served as this text, never parsed into a tree and
/// re-encoded: member order, `2.0`, `-0.0`, integers past 64 bits and `\u` escapes stay as written.
/// Equality is byte equality; ``isEquivalent(to:)`` compares what the text means (what a Postgres
/// `jsonb` column keeps).
public struct JSONText: Sendable, Hashable, CustomStringConvertible {
    /// The text.
    public let text: String

    /// Checks that `text` is one JSON value (whitespace around it allowed) and keeps it as it is.
    public init(validating text: String) throws(JSONSyntaxError) {
        var text = text
        let outcome = text.withUTF8 { bytes in
            Result { () throws(JSONSyntaxError) in try JSONScanner.validate(UnsafeRawBufferPointer(bytes)) }
        }
        try outcome.get()
        self.text = text
    }

    /// Text that was checked already (by a ``JSONScanner`` over the same bytes).
    package init(checked text: String) {
        self.text = text
    }

    /// The compact encoding of a value built in code; object members in sorted key order.
    public init(_ value: JSONValue) {
        self.text = value.jsonText
    }

    /// Text read back from storage. It was checked when the gateway wrote it, but a row written by another
    /// tool may hold anything: text that is not JSON is served as a JSON string holding it, so that a
    /// response never carries broken JSON.
    public init(stored text: String) {
        if let checked = try? JSONText(validating: text) {
            self = checked
        } else {
            var writer = JSONWriter(capacity: text.utf8.count + 2)
            writer.write(text)
            self.text = writer.text
        }
    }

    /// `{}`.
    public static let emptyObject = JSONText(checked: "{}")

    /// `null`.
    public static let null = JSONText(checked: "null")

    /// Whether the value is a JSON object.
    public var isObject: Bool { firstByte == UInt8(ascii: "{") }

    /// Whether the value is `null`.
    public var isNull: Bool { firstByte == UInt8(ascii: "n") }

    private var firstByte: UInt8? {
        text.utf8.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// The value as a tree, for code that looks inside it (numbers become `Int64` or `Double`).
    public func parsed() throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    /// Whether both texts mean the same JSON value: objects equal whatever the order of their members
    /// (a repeated key counts with its last value), numbers equal by decimal value (`2.0` = `2`,
    /// `-0` = `0`, any number of digits), strings equal by their characters' code points after
    /// unescaping (no Unicode normalization).
    public func isEquivalent(to other: JSONText) -> Bool {
        guard let lhs = CanonicalJSON(text), let rhs = CanonicalJSON(other.text) else { return text == other.text }
        return lhs == rhs
    }

    public var description: String { text }
}

/// A JSON value in a form where equal meaning is equal structure (see ``JSONText/isEquivalent(to:)``).
private indirect enum CanonicalJSON: Equatable {
    case null
    case bool(Bool)
    /// `±0.digits × 10^exponent`, digits without leading or trailing zeros; zero has no digits and no sign.
    case number(negative: Bool, digits: [UInt8], exponent: Int)
    case string([UInt8])
    case array([CanonicalJSON])
    /// Members sorted by key bytes, one per key.
    case object([(key: [UInt8], value: CanonicalJSON)])

    init?(_ text: String) {
        var text = text
        let value = text.withUTF8 { bytes -> CanonicalJSON? in
            var scanner = JSONScanner(UnsafeRawBufferPointer(bytes))
            guard let value = try? Self.read(&scanner, depth: 0), (try? scanner.expectEnd()) != nil else { return nil }
            return value
        }
        guard let value else { return nil }
        self = value
    }

    private static func read(_ scanner: inout JSONScanner, depth: Int) throws -> CanonicalJSON {
        guard depth < JSONScanner.maximumDepth else { throw JSONSyntaxError(offset: scanner.position, problem: "too deep") }
        switch try scanner.peekKind() {
        case .null:
            try scanner.readNull()
            return .null
        case .bool:
            return .bool(try scanner.readBool())
        case .string:
            return .string(Array(try scanner.readString().utf8))
        case .number:
            return number(try scanner.readNumberText())
        case .array:
            try scanner.beginArray()
            var items: [CanonicalJSON] = []
            var index = 0
            while try scanner.nextElement(&index) { items.append(try read(&scanner, depth: depth + 1)) }
            return .array(items)
        case .object:
            try scanner.beginObject()
            var members: [[UInt8]: CanonicalJSON] = [:]
            var index = 0
            while let key = try scanner.nextMember(&index) { members[Array(key.utf8)] = try read(&scanner, depth: depth + 1) }
            return .object(members.map { (key: $0.key, value: $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) })
        }
    }

    /// A number literal (already checked) in canonical form.
    private static func number(_ literal: String) -> CanonicalJSON {
        var bytes = Array(literal.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var exponent = 0
        var inFraction = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte | 0x20 == UInt8(ascii: "e") {
                let exponentText = String(decoding: bytes[(index + 1)...], as: UTF8.self)
                let written = Int(exponentText) ?? (exponentText.hasPrefix("-") ? Int.min / 4 : Int.max / 4)
                exponent = exponent.addingReportingOverflow(written).overflow ? (written > 0 ? Int.max / 2 : Int.min / 2) : exponent + written
                break
            } else {
                digits.append(byte)
                if inFraction { exponent -= 1 }
            }
            index += 1
        }
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return .number(negative: false, digits: [], exponent: 0) }
        return .number(negative: negative, digits: digits, exponent: exponent + digits.count)
    }

    static func == (lhs: CanonicalJSON, rhs: CanonicalJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case let (.number(n1, d1, e1), .number(n2, d2, e2)): return n1 == n2 && d1 == d2 && e1 == e2
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}
