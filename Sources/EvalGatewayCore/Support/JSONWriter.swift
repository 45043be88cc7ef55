/// Writes compact JSON into a byte array, with members in the order they are written.
///
/// Wire formats here fix the order of keys (Agno's EvalRun, AWS shapes), which `JSONEncoder` does not
/// promise; this writer does, and it is cheap enough for a million ids.
public struct JSONWriter: Sendable {
    /// The bytes written so far (UTF-8).
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    /// Creates an empty writer, reserving `capacity` bytes.
    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object (`{`).
    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    /// Closes an object (`}`).
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    /// Opens an array (`[`).
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    /// Closes an array (`]`).
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes an object key; the next write is its value.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    /// Writes a string value, or `null`.
    public mutating func write(_ value: String?) {
        separate()
        if let value { writeString(value) } else { appendASCII("null") }
    }

    /// Writes an integer value, or `null`.
    public mutating func write(_ value: Int64?) {
        separate()
        if let value { appendASCII(String(value)) } else { appendASCII("null") }
    }

    /// Writes an integer value.
    public mutating func write(_ value: Int) { write(Int64(value)) }

    /// Writes a boolean value.
    public mutating func write(_ value: Bool) { separate(); appendASCII(value ? "true" : "false") }

    /// Writes a floating-point value (non-finite values, which JSON cannot carry, as `null`).
    public mutating func write(_ value: Double) {
        separate()
        if !value.isFinite {
            appendASCII("null")
        } else if value == value.rounded(), abs(value) < 1e15 {
            appendASCII(String(Int64(value)))
            appendASCII(".0")
        } else {
            appendASCII(String(value))
        }
    }

    /// Writes a JSON value; object members in sorted key order.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: separate(); appendASCII("null")
        case .bool(let flag): write(flag)
        case .integer(let number): write(number)
        case .number(let number): write(number)
        case .string(let string): write(string)
        case .array(let items):
            beginArray()
            for item in items { write(item) }
            endArray()
        case .object(let members):
            beginObject()
            for name in members.keys.sorted() {
                key(name)
                write(members[name]!)
            }
            endObject()
        }
    }

    /// Writes JSON text as it is (it is already JSON).
    public mutating func write(_ json: JSONText) {
        separate()
        bytes.append(contentsOf: json.text.utf8)
    }

    /// Writes `[ "a", "b", … ]`.
    public mutating func write(strings: some Sequence<String>) {
        beginArray()
        for string in strings { write(string) }
        endArray()
    }

    private mutating func separate() {
        guard let last = needsComma.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) } else { needsComma[needsComma.count - 1] = true }
    }

    private mutating func appendASCII(_ string: String) { bytes.append(contentsOf: string.utf8) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
