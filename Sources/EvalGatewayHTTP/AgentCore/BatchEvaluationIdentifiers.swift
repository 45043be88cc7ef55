/// The identifier rules of the AgentCore model: job ids, names, evaluator ids, client tokens, ARNs.
enum BatchEvaluationIdentifiers {
    /// `[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}`.
    static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count >= 12, bytes.count <= 111 else { return false }
        let suffixStart = bytes.count - 10
        guard isLetter(bytes[0]), bytes[suffixStart - 1] == UInt8(ascii: "-") else { return false }
        guard bytes[suffixStart...].allSatisfy(isAlphanumeric) else { return false }
        return bytes[1..<(suffixStart - 1)].allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// `[a-zA-Z][a-zA-Z0-9_]{0,47}`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...48).contains(bytes.count), isLetter(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// `(Builtin.[a-zA-Z0-9_-]+|[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10})`.
    static func isValidEvaluatorID(_ id: String) -> Bool {
        if id.hasPrefix("Builtin.") {
            let rest = id.utf8.dropFirst(8)
            return !rest.isEmpty && rest.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        }
        return isValidID(id)
    }

    /// 33–256 characters of `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}`.
    static func isValidClientToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard (33...256).contains(bytes.count), isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// A new id for a job named `name`: `<name>-<10 random alphanumerics>`.
    static func newID(name: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return name + "-" + String((0..<10).map { _ in alphabet.randomElement()! })
    }

    /// `arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>`.
    static func arn(id: String, region: String, accountID: String) -> String {
        "arn:aws:bedrock-agentcore:\(region):\(accountID):batch-evaluate/\(id)"
    }

    /// The region of a SigV4 `Authorization` header's credential scope
    /// (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`), if it has one.
    static func signingRegion(authorization: String?) -> String? {
        guard let authorization, authorization.hasPrefix("AWS4-HMAC-SHA256"),
              let range = authorization.range(of: "Credential=")
        else { return nil }
        let scope = authorization[range.upperBound...].prefix { $0 != "," && $0 != " " }
        let parts = scope.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5 else { return nil }
        let region = parts[parts.count - 3]
        guard (1...32).contains(region.utf8.count),
              region.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        return String(region).lowercased()
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
