/// A SigV4 canonical request, rebuilt from what the gateway received exactly as botocore's `SigV4Auth`
/// builds it before signing (for services other than S3):
///
/// ```
/// <METHOD>
/// <path: dot segments and empty segments removed, then percent-encoded again (`%` → `%25`), '/' and '~' kept>
/// <query: key=value pairs sorted by key, then value, joined by '&'>
/// <name>:<values, whitespace runs collapsed, joined by ','>   (one line per signed header, in SignedHeaders order)
///
/// <SignedHeaders>
/// <hex SHA-256 of the body>
/// ```
///
/// botocore takes the query pairs as they stand in the URL; other SDKs percent-decode and re-encode them
/// (RFC 3986 unreserved characters kept). The two agree on what SDKs send; where they differ, both forms
/// are tried (``texts``).
public struct SigV4CanonicalRequest: Sendable, Equatable {
    /// The request method, as sent (upper-case).
    public var method: String
    /// The path as sent, still percent-encoded.
    public var rawPath: String
    /// The query as sent (after `?`, without it); empty when there is none.
    public var rawQuery: String
    /// The signed headers' names (lower-case), in the order the client listed them.
    public var signedHeaders: [String]
    /// Each signed header's values, in the order they arrived.
    public var headerValues: [String: [String]]
    /// The hex SHA-256 of the body.
    public var payloadHash: String

    /// Creates a canonical request from a request target (`/path?query`), splitting it at the first `?`.
    public init(method: String, target: String, signedHeaders: [String], headerValues: [String: [String]], payloadHash: String) {
        self.method = method
        if let question = target.firstIndex(of: "?") {
            rawPath = String(target[..<question])
            rawQuery = String(target[target.index(after: question)...])
        } else {
            rawPath = target
            rawQuery = ""
        }
        self.signedHeaders = signedHeaders
        self.headerValues = headerValues
        self.payloadHash = payloadHash
    }

    /// The canonical request text, with botocore's query form.
    public var text: String { text(query: Self.canonicalQuery(rawQuery, reencoding: false)) }

    /// Every distinct canonical text a conforming client may have signed: botocore's query form first,
    /// then the decoded-and-re-encoded form if it differs.
    public var texts: [String] {
        let literal = Self.canonicalQuery(rawQuery, reencoding: false)
        let reencoded = Self.canonicalQuery(rawQuery, reencoding: true)
        return literal == reencoded ? [text(query: literal)] : [text(query: literal), text(query: reencoded)]
    }

    private func text(query: String) -> String {
        let headers = signedHeaders.map { name in
            name + ":" + (headerValues[name] ?? []).map(Self.trimmingAll).joined(separator: ",")
        }
        return [
            method,
            Self.canonicalURI(rawPath),
            query,
            headers.joined(separator: "\n") + "\n",
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// botocore's `_normalize_url_path`: remove dot segments and empty segments, then `quote(path, safe='/~')`.
    public static func canonicalURI(_ rawPath: String) -> String {
        percentEncode(removingDotSegments(rawPath), keeping: UInt8(ascii: "/"))
    }

    /// botocore's `remove_dot_segments` (RFC 3986 §5.2.4, and consecutive slashes collapsed); `/` for an
    /// empty path.
    static func removingDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
            } else {
                output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// The canonical query string: pairs split at the first `=`, sorted by key then value (byte order),
    /// joined by `&`. With `reencoding`, each key and value is percent-decoded and encoded again, keeping
    /// only RFC 3986 unreserved characters.
    static func canonicalQuery(_ rawQuery: String, reencoding: Bool) -> String {
        guard !rawQuery.isEmpty else { return "" }
        var pairs: [(key: String, value: String)] = rawQuery.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let key: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                key = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                key = pair
                value = ""
            }
            guard reencoding else { return (String(key), String(value)) }
            return (reencode(key), reencode(value))
        }
        pairs.sort { left, right in
            if left.key != right.key { return left.key.utf8.lexicographicallyPrecedes(right.key.utf8) }
            return left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        return pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    /// Lowercase(name) + ':' + Trimall(value): whitespace runs become one space, ends trimmed.
    static func trimmingAll(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func reencode(_ component: Substring) -> String {
        percentEncode(percentDecoded(component) ?? String(component), keeping: nil)
    }

    /// Python's `quote(text, safe=…)`: every UTF-8 byte but `A–Z a–z 0–9 - _ . ~` (and `keeping`) as `%XX`.
    static func percentEncode(_ text: String, keeping extra: UInt8?) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || byte == extra {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
