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

/// ISO 8601 text a client may send for `created_at` and `updated_at`.
@Suite struct TimestampParsingTests {
    @Test(arguments: [
        ("2023-11-14T22:13:20Z", Int64(1_700_000_000)),
        ("2023-11-14T22:13:20.999Z", 1_700_000_000),
        ("2023-11-14 22:13:20", 1_700_000_000),
        ("2023-11-14T23:13:20+01:00", 1_700_000_000),
        ("2023-11-14T21:13:20-0100", 1_700_000_000),
        ("2023-11-14T22:13Z", 1_699_999_980),
        ("2000-02-29", 951_782_400),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
    ])
    func isoTextReadsAsEpochSeconds(_ text: String, _ seconds: Int64) {
        #expect(Timestamp.epochSeconds(iso8601: text) == seconds)
        if seconds >= 0, !text.contains("+"), !text.contains("-01") {
            #expect(Timestamp.iso8601(seconds).hasPrefix(String(text.prefix(10))))
        }
    }

    @Test(arguments: ["", "2023", "2023-13-01", "2023-02-29", "2023-11-14T24:00:00Z", "2023-11-14T22:60", "2023-11-14T22:13:20Q",
                      "2023-11-14T22:13:20.Z", "yesterday", "0000-01-01", "2023-11-14T22:13:20+25:00", "1700000000"])
    func otherTextIsRefused(_ text: String) {
        #expect(Timestamp.epochSeconds(iso8601: text) == nil)
    }
}
