import EvalGatewayCore
import Foundation

/// The opaque `nextToken` of ListBatchEvaluations: a cursor, bound to the database it pages, with a
/// check value, in URL-safe base64. A token that does not decode, fails its check or belongs to another
/// database is refused (400), so clients cannot forge positions.
enum BatchEvaluationPageToken {
    private static let version = "v1"

    /// The token for `cursor` in database `databaseID`.
    static func encode(_ cursor: BatchEvaluationCursor, databaseID: String) -> String {
        let body = "\(version)\n\(cursor.createdAt)\n\(cursor.id)"
        let text = body + "\n" + check(body, databaseID: databaseID)
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor of `token`, or `nil` if it is not a token this gateway issued for `databaseID`.
    static func decode(_ token: String, databaseID: String) -> BatchEvaluationCursor? {
        guard token.utf8.count <= 1024 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == version, let createdAt = Int64(parts[1]), !parts[2].isEmpty else { return nil }
        let body = parts[0..<3].joined(separator: "\n")
        guard parts[3] == check(body, databaseID: databaseID) else { return nil }
        return BatchEvaluationCursor(createdAt: createdAt, id: String(parts[2]))
    }

    private static func check(_ body: String, databaseID: String) -> String {
        let bytes = Array("evalgw-batch-page\n\(databaseID)\n\(body)".utf8)
        return String(BatchEvaluationParameters.fnv1a(bytes), radix: 16)
    }
}
