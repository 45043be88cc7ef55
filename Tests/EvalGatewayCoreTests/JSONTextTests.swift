import EvalGatewayCore
import Testing

/// JSON text kept as written: what is accepted and refused, and what counts as the same value.
@Suite struct JSONTextTests {
    @Test(arguments: [
        #"{}"#, #"[]"#, #"0"#, #"-0.0"#, #"2.0"#, #"1E+2"#, #"12345678901234567890"#, #""""#, #"null"#, #"true"#,
        #"  {"a" : [1, 2.5e-3, "x", {"b": null}], "a": false}  "#,
        #""caf\u00e9 \ud83d\ude80 \" \\ \/ \b\f\n\r\t""#,
        "\"é 日本語 🚀\"",
        String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
    ])
    func validJSONIsKeptByteForByte(_ text: String) throws {
        #expect(try JSONText(validating: text).text == text)
    }

    @Test(arguments: [
        "", " ", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
        "NaN", "Infinity", "tru", "nul", "'a'", #""unterminated"#, "\"tab\there\"", #""\x""#, #""\u12""#,
        #""\ud83d""#, #""\ude80""#, #""\ud83d\u0041""#, "{} {}", "[] x", "// comment\n{}", "\u{FEFF}{}",
        String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
    ])
    func invalidJSONIsRefused(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONText(validating: text) }
    }

    /// A request body is scanned as bytes, before any String exists: malformed UTF-8 is refused there.
    @Test(arguments: [
        [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22],
    ] as [[UInt8]])
    func invalidUTF8IsRefused(_ bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError.self) { try bytes.withUnsafeBytes { try JSONScanner.validate($0) } }
    }

    @Test func validUTF8OfEveryLengthIsAccepted() throws {
        let bytes = Array("\"a é € 🚀 \u{10FFFF}\"".utf8)
        try bytes.withUnsafeBytes { try JSONScanner.validate($0) }
    }

    @Test func storedTextThatIsNotJSONIsServedAsAString() {
        #expect(JSONText(stored: #"{"a":1}"#).text == #"{"a":1}"#)
        #expect(JSONText(stored: "not json").text == #""not json""#)
        #expect(JSONText(stored: "").text == #""""#)
    }

    @Test func objectsAndNullAreRecognised() throws {
        #expect(try JSONText(validating: " \n{}").isObject)
        #expect(try !JSONText(validating: "[{}]").isObject)
        #expect(try JSONText(validating: " null").isNull)
    }

    @Test(arguments: [
        (#"{"a":1,"b":[2.0,"x"]}"#, #"{ "b": [2, "x"], "a": 1.000 }"#),
        (#"-0.0"#, #"0"#),
        (#"12345678901234567890"#, #"1.2345678901234567890e19"#),
        (#"100"#, #"1E+2"#),
        (#""caf\u00e9""#, "\"caf\u{E9}\""),
        (#"{"d":1,"d":2}"#, #"{"d":2}"#),
    ])
    func equivalentTextsMeanTheSameValue(_ lhs: String, _ rhs: String) throws {
        #expect(try JSONText(validating: lhs).isEquivalent(to: JSONText(validating: rhs)))
    }

    @Test(arguments: [
        (#"{"a":1}"#, #"{"a":1,"b":2}"#),
        (#"[1,2]"#, #"[2,1]"#),
        (#"12345678901234567890"#, #"12345678901234567000"#),
        (#"0.1"#, #"0.10000000000000001"#),
        ("\"caf\u{E9}\"", "\"cafe\u{301}\""),
        (#"1"#, #""1""#),
        (#"null"#, #"false"#),
    ])
    func differentValuesAreNotEquivalent(_ lhs: String, _ rhs: String) throws {
        #expect(try !JSONText(validating: lhs).isEquivalent(to: JSONText(validating: rhs)))
    }

    @Test func spellingsOfOneWordAreDifferentBytewiseStrings() {
        let precomposed = "caf\u{E9}", combining = "cafe\u{301}"
        #expect(precomposed == combining, "Swift's == is canonical equivalence")
        #expect(BytewiseString(precomposed) != BytewiseString(combining))
        #expect(Set([BytewiseString(precomposed), BytewiseString(combining), BytewiseString(precomposed)]).count == 2)
        #expect(!precomposed.isBytewiseEqual(to: combining))
        #expect((nil as String?).isBytewiseEqual(to: nil))
    }
}
