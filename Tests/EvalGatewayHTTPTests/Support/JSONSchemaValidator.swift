import EvalGatewayCore
import Foundation
import Synchronization

/// The part of JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) that `openapi.json` uses, enough to
/// check real answers against it: `type` (one or a list), `$ref` to `#/…`, `properties`, `required`,
/// `additionalProperties`, `items`, `minItems`/`maxItems`, `enum`, `const`, `minLength`/`maxLength`,
/// `pattern`, `format: date-time`, `minimum`/`maximum`, `minProperties`/`maxProperties`, `allOf`/`anyOf`/`oneOf`. A keyword it does not
/// know makes validation fail, so the document cannot quietly outgrow the checker.
struct JSONSchemaValidator {
    /// The whole document, which `$ref`s point into.
    let document: JSONValue

    /// Keywords that describe and do not constrain.
    static let annotations: Set<String> = ["description", "title", "default", "examples", "example", "deprecated", "readOnly", "writeOnly", "$comment"]

    /// The problems of `instance` against `schema`, each as "path: what is wrong"; empty when it is valid.
    func problems(_ instance: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let keywords) = schema else {
            if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): no value is allowed here"] }
            return ["\(path): the schema is not an object"]
        }
        var problems: [String] = []
        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case "$ref":
                guard case .string(let reference) = value, let target = resolve(reference) else {
                    problems.append("\(path): unresolved $ref \(value)")
                    continue
                }
                problems += self.problems(instance, against: target, at: path)
            case "type":
                let allowed: [String]
                switch value {
                case .string(let one): allowed = [one]
                case .array(let many): allowed = many.compactMap { if case .string(let name) = $0 { name } else { nil } }
                default: allowed = []
                }
                if !allowed.contains(where: { Self.instance(instance, hasType: $0) }) {
                    problems.append("\(path): \(Self.describe(instance)) is not of type \(allowed.joined(separator: "|"))")
                }
            case "properties":
                guard case .object(let members) = instance, case .object(let properties) = value else { continue }
                for (name, subschema) in properties.sorted(by: { $0.key < $1.key }) {
                    if let member = members[name] { problems += self.problems(member, against: subschema, at: "\(path).\(name)") }
                }
            case "required":
                guard case .object(let members) = instance, case .array(let names) = value else { continue }
                for case .string(let name) in names where members[name] == nil {
                    problems.append("\(path): required member '\(name)' is missing")
                }
            case "additionalProperties":
                guard case .object(let members) = instance else { continue }
                let declared: Set<String> = if case .object(let properties)? = keywords["properties"] { Set(properties.keys) } else { [] }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
                    if case .bool(false) = value {
                        problems.append("\(path): member '\(name)' is not in the schema")
                    } else {
                        problems += self.problems(member, against: value, at: "\(path).\(name)")
                    }
                }
            case "items":
                guard case .array(let elements) = instance else { continue }
                for (index, element) in elements.enumerated() {
                    problems += self.problems(element, against: value, at: "\(path)[\(index)]")
                }
            case "minProperties", "maxProperties":
                guard case .object(let members) = instance, case .integer(let bound) = value else { continue }
                if keyword == "minProperties" ? members.count < bound : members.count > bound {
                    problems.append("\(path): \(members.count) members breaks \(keyword) \(bound)")
                }
            case "minItems", "maxItems":
                guard case .array(let elements) = instance, case .integer(let bound) = value else { continue }
                if keyword == "minItems" ? elements.count < bound : elements.count > bound {
                    problems.append("\(path): \(elements.count) items breaks \(keyword) \(bound)")
                }
            case "enum":
                guard case .array(let options) = value else { continue }
                if !options.contains(where: { Self.equal($0, instance) }) {
                    problems.append("\(path): \(Self.describe(instance)) is not one of \(value.jsonText)")
                }
            case "const":
                if !Self.equal(value, instance) { problems.append("\(path): \(Self.describe(instance)) is not \(value.jsonText)") }
            case "minLength", "maxLength":
                guard case .string(let text) = instance, case .integer(let bound) = value else { continue }
                let length = text.unicodeScalars.count
                if keyword == "minLength" ? length < bound : length > bound {
                    problems.append("\(path): a string of \(length) characters breaks \(keyword) \(bound)")
                }
            case "pattern":
                guard case .string(let text) = instance, case .string(let pattern) = value else { continue }
                guard let expression = Self.expressions.compiled(pattern) else {
                    problems.append("\(path): pattern \(pattern) does not compile")
                    continue
                }
                if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    problems.append("\(path): '\(text)' does not match \(pattern)")
                }
            case "format":
                guard case .string(let text) = instance, case .string(let format) = value else { continue }
                if format == "date-time", !Self.isDateTime(text) {
                    problems.append("\(path): '\(text)' is not an RFC 3339 date-time")
                }
            case "minimum", "maximum":
                guard let number = Self.number(instance), let bound = Self.number(value) else { continue }
                if keyword == "minimum" ? number < bound : number > bound {
                    problems.append("\(path): \(number) breaks \(keyword) \(bound)")
                }
            case "exclusiveMinimum", "exclusiveMaximum":
                guard let number = Self.number(instance), let bound = Self.number(value) else { continue }
                if keyword == "exclusiveMinimum" ? number <= bound : number >= bound {
                    problems.append("\(path): \(number) breaks \(keyword) \(bound)")
                }
            case "uniqueItems":
                guard case .array(let items) = instance, case .bool(true) = value else { continue }
                let rendered = items.map { "\($0)" }
                if Set(rendered).count != rendered.count { problems.append("\(path): items are not unique") }
            case "allOf":
                guard case .array(let schemas) = value else { continue }
                for subschema in schemas { problems += self.problems(instance, against: subschema, at: path) }
            case "anyOf", "oneOf":
                guard case .array(let schemas) = value else { continue }
                let matching = schemas.filter { self.problems(instance, against: $0, at: path).isEmpty }.count
                if matching == 0 || (keyword == "oneOf" && matching > 1) {
                    problems.append("\(path): \(Self.describe(instance)) matches \(matching) of the \(keyword) schemas")
                }
            default:
                if !Self.annotations.contains(keyword) {
                    problems.append("\(path): the validator does not know the keyword '\(keyword)'")
                }
            }
        }
        return problems
    }

    /// The value a local reference (`#/components/schemas/X`) points at.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    /// Compiled patterns, shared: a 70,000-id body checks the same pattern 70,000 times.
    static let expressions = ExpressionCache()

    static func instance(_ instance: JSONValue, hasType type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .integer): true
        case ("integer", .number(let value)): value.rounded() == value
        case ("number", .integer), ("number", .number): true
        default: false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// JSON equality, where 1 and 1.0 are the same number.
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = number(left), let b = number(right) { return a == b }
        return left == right
    }

    static func describe(_ instance: JSONValue) -> String {
        let text = instance.jsonText
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    /// RFC 3339 `date-time`: `2026-11-22T12:20:00Z`, with optional fraction and numeric offset.
    /// RFC 3339 `date-time`: the form, and a date and time that exist (no 30 February, no hour 24).
    static func isDateTime(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))/),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day), hour < 24, minute < 60, second < 60 else { return false }
        if let offsetHours = match.9.flatMap({ Int($0) }), let offsetMinutes = match.10.flatMap({ Int($0) }) {
            return offsetHours < 24 && offsetMinutes < 60
        }
        return true
    }
}

/// Regular expressions compiled once per pattern.
final class ExpressionCache: Sendable {
    private let expressions = Mutex<[String: NSRegularExpression]>([:])

    /// The compiled `pattern`, or `nil` if it does not compile.
    func compiled(_ pattern: String) -> NSRegularExpression? {
        if let known = expressions.withLock({ $0[pattern] }) { return known }
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        expressions.withLock { $0[pattern] = expression }
        return expression
    }
}
