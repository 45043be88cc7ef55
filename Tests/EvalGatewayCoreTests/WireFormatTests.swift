import EvalGatewayCore
import Testing

/// Timestamps and the JSON writer.
@Suite struct WireFormatTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
    ])
    func epochSecondsRenderAsISO8601(_ seconds: Int64, _ expected: String) {
        #expect(Timestamp.iso8601(seconds) == expected)
    }

    @Test func millisecondsRenderWithThreeDigits() {
        #expect(Timestamp.iso8601(milliseconds: 1_700_000_000_007) == "2023-11-14T22:13:20.007Z")
    }

    @Test func theWriterEscapesAndKeepsOrder() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("z"); writer.write("quote \" backslash \\ newline \n tab \t nul \u{0} é 🚀")
        writer.key("a"); writer.write(nil as String?)
        writer.key("n"); writer.write(JSONValue.object(["b": .integer(-3), "a": .number(1.5), "c": .array([.bool(true), .null])]))
        writer.endObject()
        #expect(writer.text == #"{"z":"quote \" backslash \\ newline \n tab \t nul \u0000 é 🚀","a":null,"n":{"a":1.5,"b":-3,"c":[true,null]}}"#)
        #expect(try JSONValue(parsing: writer.text)["n"]?["b"] == .integer(-3))
    }
}
