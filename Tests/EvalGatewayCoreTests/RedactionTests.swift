import EvalGatewayCore
import Testing

/// Secrets in database options never leave through the admin API.
@Suite struct RedactionTests {
    @Test func urlPasswordsAreHidden() {
        #expect(Redaction.redactingPassword(in: "postgresql://evalgw:s3cret@db.internal:5432/tenant") == "postgresql://evalgw:***@db.internal:5432/tenant")
        #expect(Redaction.redactingPassword(in: "postgresql://evalgw@db/tenant") == "postgresql://evalgw@db/tenant")
        #expect(Redaction.redactingPassword(in: "postgres://u:p%40ss@h/d?sslmode=require&password=x") == "postgres://u:***@h/d?sslmode=require&password=***")
        #expect(Redaction.redactingPassword(in: "host=db password=s3cret dbname=t") == "host=db password=*** dbname=t")
        #expect(Redaction.redactingPassword(in: "host=db password = 'it\\'s secret' dbname=t") == "host=db password=*** dbname=t")
        #expect(Redaction.redactingPassword(in: "./data/tenant.sqlite") == "./data/tenant.sqlite")
    }

    @Test func secretNamedOptionsAreHidden() {
        #expect(Redaction.redact(.string("abc"), option: "api_token") == .string("***"))
        #expect(Redaction.redact(.integer(5), option: "client_secret") == .string("***"))
        #expect(Redaction.redact(.string("x"), option: "Password") == .string("***"))
        #expect(Redaction.redact(.string("ai"), option: "schema") == .string("ai"))
    }

    @Test func generatedTokensAreLongAndDistinct() {
        let first = TokenSecret.generate()
        let second = TokenSecret.generate()
        #expect(first.hasPrefix("egw_") && first.count == 4 + 43)
        #expect(first != second)
        #expect(first.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "=") })
    }
}
