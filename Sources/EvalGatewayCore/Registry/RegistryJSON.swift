import Foundation

/// How registry entries are written as JSON: in the registry store (the definition of an entry, with
/// secrets as given) and in admin API answers (with secrets redacted).
public enum RegistryJSON {
    /// A database entry's definition, `{adapter, options, tables, rate, retention}`; with `redacted`,
    /// secrets in its options read `"***"`.
    public static func write(definitionOf configuration: DatabaseConfiguration, redacted: Bool, to writer: inout JSONWriter) {
        writer.key("adapter"); writer.write(configuration.adapter)
        writer.key("options")
        writer.beginObject()
        for key in configuration.options.values.keys.sorted() {
            writer.key(key)
            let value = configuration.options.values[key]!
            writer.write(redacted ? Redaction.redact(value, option: key) : value)
        }
        writer.endObject()
        writer.key("tables"); writer.write(strings: configuration.tables)
        writer.key("rate"); writer.write(configuration.rate)
        writer.key("retention")
        if let retention = configuration.retention {
            writer.beginObject()
            writer.key("max_age_days"); writer.write(retention.maxAgeDays)
            writer.endObject()
        } else {
            writer.write(nil as String?)
        }
    }

    /// The definition a registry store keeps for a database.
    public static func definition(of configuration: DatabaseConfiguration) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        write(definitionOf: configuration, redacted: false, to: &writer)
        writer.endObject()
        return writer.text
    }

    /// The definition a registry store keeps for a token (never its secret).
    public static func definition(of token: AccessToken) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writeGrants(of: token, to: &writer)
        writer.endObject()
        return writer.text
    }

    /// `scopes`, `databases` and `rate` of a token.
    public static func writeGrants(of token: AccessToken, to writer: inout JSONWriter) {
        writer.key("scopes"); writer.write(strings: token.scopes.map(\.rawValue).sorted())
        writer.key("databases"); writer.write(strings: token.databases.sorted())
        writer.key("rate"); writer.write(token.rate)
    }
}

/// The rule for secrets in database options shown by the admin API: the password of a URL, and any
/// option whose name contains `password`, `secret` or `token`, read `"***"`.
public enum Redaction {
    /// The value to show for option `name`.
    public static func redact(_ value: ConfigValue, option name: String) -> ConfigValue {
        let lowered = name.lowercased()
        if ["password", "secret", "token"].contains(where: lowered.contains) { return .string("***") }
        guard case .string(let text) = value else { return value }
        return .string(redactingPassword(in: text))
    }

    /// A libpq URI with its password replaced by `***` (`postgresql://user:***@host/db`), or a conninfo
    /// string with its `password=` value replaced; other text as it is.
    public static func redactingPassword(in text: String) -> String {
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var result = String(text[..<scheme.upperBound])
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    result += userInfo[...colon] + "***" + authority[at...]
                } else {
                    result += authority
                }
            } else {
                result += authority
            }
            return result + redactingQueryPassword(String(rest[authorityEnd...]))
        }
        return redactingConninfoPassword(text)
    }

    private static func redactingQueryPassword(_ text: String) -> String {
        guard let question = text.firstIndex(of: "?") else { return text }
        let pairs = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
        }
        return String(text[...question]) + pairs.joined(separator: "&")
    }

    private static func redactingConninfoPassword(_ text: String) -> String {
        guard text.lowercased().contains("password") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "password", options: [.caseInsensitive]) {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let afterSpaces = rest.drop(while: { $0 == " " })
            guard afterSpaces.first == "=" else { continue }
            var value = afterSpaces.dropFirst().drop(while: { $0 == " " })
            if value.first == "'" {
                value = value.dropFirst()
                var escaped = false
                while let character = value.first {
                    value = value.dropFirst()
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "'" { break }
                }
            } else {
                value = value.drop(while: { $0 != " " })
            }
            result += "=***"
            rest = value
        }
        return result + rest
    }
}

extension JSONWriter {
    /// Writes a configuration value as JSON.
    public mutating func write(_ value: ConfigValue) {
        switch value {
        case .string(let text): write(text)
        case .integer(let number): write(number)
        case .double(let number): write(number)
        case .bool(let flag): write(flag)
        case .null: write(nil as String?)
        case .list(let items):
            beginArray()
            for item in items { write(item) }
            endArray()
        case .map(let members):
            beginObject()
            for key in members.keys.sorted() {
                self.key(key)
                write(members[key]!)
            }
            endObject()
        }
    }

    /// Writes a rate, `{requests_per_second, burst}`, or `null`.
    public mutating func write(_ rate: RateLimit?) {
        guard let rate else { return write(nil as String?) }
        beginObject()
        key("requests_per_second"); write(rate.requestsPerSecond)
        key("burst"); write(rate.burst)
        endObject()
    }
}
