/// Reads JSON from UTF-8 bytes without building a tree: values are checked and skipped (giving the
/// byte range they span), strings decoded on demand, objects and arrays walked member by member.
///
/// The rules are RFC 8259's, strictly: no comments, no trailing commas, no leading zeros, no raw
/// control characters in strings, valid UTF-8, and `\u` escapes that pair their surrogates (as
/// PostgreSQL requires). Nesting deeper than ``maximumDepth`` is refused instead of exhausting a
/// stack.
///
/// The scanner borrows its bytes: use it only inside the closure that lent them
/// (`withUnsafeBytes`, `withUnsafeReadableBytes`).
package struct JSONScanner {
    /// The bytes being read.
    package let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    package private(set) var position: Int = 0

    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 512

    /// A scanner at the start of `bytes`.
    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The kinds of JSON value, as told by their first byte.
    package enum ValueKind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    /// Checks that `bytes` hold exactly one JSON value, with optional whitespace around it.
    package static func validate(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        var scanner = JSONScanner(bytes)
        _ = try scanner.skipValue()
        try scanner.expectEnd()
    }

    // MARK: - Navigation

    /// Skips spaces, tabs, line feeds and carriage returns.
    @inline(__always)
    package mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Throws unless only whitespace is left.
    package mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < bytes.count { throw error("unexpected data after the JSON value") }
    }

    /// The kind of the next value (after whitespace), without reading it.
    package mutating func peekKind() throws(JSONSyntaxError) -> ValueKind {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw error("unexpected character, expected a value")
        }
    }

    /// Opens an object: reads `{`.
    package mutating func beginObject() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "{"), "expected '{'")
    }

    /// The key of the next member of the object being walked, with its `:` read, so that the value comes
    /// next; `nil` (with the `}` read) when the object ends. `index` counts the members read so far.
    package mutating func nextMember(_ index: inout Int) throws(JSONSyntaxError) -> String? {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input in an object") }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if index > 0 {
            try expect(UInt8(ascii: ","), "expected ',' or '}' in an object")
            skipWhitespace()
        }
        let key = try readString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected ':' after an object key")
        index += 1
        return key
    }

    /// Opens an array: reads `[`.
    package mutating func beginArray() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["), "expected '['")
    }

    /// Whether another element of the array being walked follows (its separator read); `false` (with
    /// the `]` read) when the array ends. `index` counts the elements read so far.
    package mutating func nextElement(_ index: inout Int) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input in an array") }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if index > 0 {
            try expect(UInt8(ascii: ","), "expected ',' or ']' in an array")
        }
        index += 1
        return true
    }

    // MARK: - Values

    /// Checks and skips one value (after whitespace) and returns the byte range it spans.
    package mutating func skipValue() throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let start = position
        // The open containers, innermost last: `{` or `[`.
        var open: [UInt8] = []
        while true {
            // A value starts here.
            guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open.count < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
                let opener = bytes[position]
                let closer = opener == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == closer {
                    position += 1
                } else {
                    if open.isEmpty { open.reserveCapacity(8) }
                    open.append(opener)
                    if opener == UInt8(ascii: "{") { try skipKey() }
                    continue
                }
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            default: throw error("unexpected character, expected a value")
            }
            // A value ended: close what ends here, then find the next value of the innermost container.
            while true {
                guard let innermost = open.last else { return start..<position }
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in \(innermost == UInt8(ascii: "{") ? "an object" : "an array")") }
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    if innermost == UInt8(ascii: "{") { try skipKey() }
                    break
                }
                if innermost == UInt8(ascii: "{") ? byte == UInt8(ascii: "}") : byte == UInt8(ascii: "]") {
                    position += 1
                    open.removeLast()
                    continue
                }
                throw error(innermost == UInt8(ascii: "{") ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
            }
        }
    }

    /// Reads a string value, decoding its escapes.
    package mutating func readString() throws(JSONSyntaxError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        let hasEscapes = try skipString()
        let end = position - 1
        let body = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        guard hasEscapes else { return String(decoding: body, as: UTF8.self) }
        return Self.unescape(body)
    }

    /// Reads `true` or `false`.
    package mutating func readBool() throws(JSONSyntaxError) -> Bool {
        if position < bytes.count, bytes[position] == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads `null`.
    package mutating func readNull() throws(JSONSyntaxError) {
        try expectLiteral("null")
    }

    /// Reads a number and returns its text.
    package mutating func readNumberText() throws(JSONSyntaxError) -> String {
        let start = position
        try skipNumber()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    // MARK: - Lexing

    private mutating func skipKey() throws(JSONSyntaxError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
        try skipString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected ':' after an object key")
        skipWhitespace()
    }

    /// Skips a string (at its opening quote), checking escapes and UTF-8; returns whether it has escapes.
    @discardableResult
    private mutating func skipString() throws(JSONSyntaxError) -> Bool {
        position += 1
        var hasEscapes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return hasEscapes
            case UInt8(ascii: "\\"):
                hasEscapes = true
                try skipEscape()
            case 0..<0x20:
                throw error("control character in a string (it must be escaped)")
            default:
                try skipUTF8Sequence()
            }
        }
        throw error("unterminated string")
    }

    private mutating func skipEscape() throws(JSONSyntaxError) {
        position += 1
        guard position < bytes.count else { throw error("unterminated escape") }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            let unit = try readHexUnit(at: position + 1)
            position += 5
            if (0xD800...0xDBFF).contains(unit) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                      (0xDC00...0xDFFF).contains(try readHexUnit(at: position + 2))
                else { throw error("a high surrogate escape must be followed by a low surrogate escape") }
                position += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("a low surrogate escape without a high surrogate before it")
            }
        default:
            throw error("invalid escape")
        }
    }

    private func readHexUnit(at offset: Int) throws(JSONSyntaxError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var value: UInt16 = 0
        for index in offset..<(offset + 4) {
            guard let digit = Self.hexValue(bytes[index]) else { throw JSONSyntaxError(offset: index, problem: "invalid hex digit in a \\u escape") }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Skips one multi-byte UTF-8 sequence, refusing overlong forms, surrogates and values past U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw error("invalid UTF-8")
        }
        guard position + length <= bytes.count else { throw error("truncated UTF-8 sequence") }
        let second = bytes[position + 1]
        guard second >= lower, second <= upper else { throw error("invalid UTF-8") }
        for index in (position + 2)..<(position + length) where bytes[index] & 0xC0 != 0x80 {
            throw error("invalid UTF-8")
        }
        position += length
    }

    private mutating func skipNumber() throws(JSONSyntaxError) {
        guard position < bytes.count else { throw error("unexpected end of input, expected a number") }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw error("a number needs digits") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(at: position) {
            while isDigit(at: position) { position += 1 }
        } else {
            throw error("a number needs digits")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(at: position) else { throw error("a fraction needs digits") }
            while isDigit(at: position) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard isDigit(at: position) else { throw error("an exponent needs digits") }
            while isDigit(at: position) { position += 1 }
        }
    }

    @inline(__always)
    private func isDigit(at offset: Int) -> Bool {
        offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of input in a literal") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw error("unexpected character, expected a value") }
        position += count
    }

    private mutating func expect(_ byte: UInt8, _ problem: String) throws(JSONSyntaxError) {
        guard position < bytes.count, bytes[position] == byte else { throw error(problem) }
        position += 1
    }

    private func error(_ problem: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, problem: problem)
    }

    /// Decodes the escapes of a string's body (already checked).
    private static func unescape(_ body: UnsafeRawBufferPointer) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = 0
        func hexUnit(_ offset: Int) -> UInt32 {
            var value: UInt32 = 0
            for position in offset..<(offset + 4) { value = value << 4 | UInt32(hexValue(body[position]) ?? 0) }
            return value
        }
        while index < body.count {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = body[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hexUnit(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = hexUnit(index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                output.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: output.append(kind)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
