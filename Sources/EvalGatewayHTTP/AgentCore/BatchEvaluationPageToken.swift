import EvalGatewayCore

/// The opaque `nextToken` of ListBatchEvaluations: a position in the list of one database's jobs,
/// sealed by the gateway's ``CursorAuthenticator`` for that database. A token that was not sealed by a
/// gateway holding the same key, for the same database, opens to nothing and is refused (400).
enum BatchEvaluationPageToken {
    /// What the seal is for; a new payload layout gets a new purpose, so old tokens stop opening.
    static let purpose = "batch-evaluations/v2"

    /// The token for `cursor` in database `databaseID`.
    static func encode(_ cursor: BatchEvaluationCursor, databaseID: String, using authenticator: CursorAuthenticator) -> String {
        authenticator.seal("\(cursor.createdAt)\n\(cursor.id)", purpose: purpose, scope: databaseID)
    }

    /// The cursor of `token`, or `nil` if it is not a token sealed with this key for `databaseID`.
    static func decode(_ token: String, databaseID: String, using authenticator: CursorAuthenticator) -> BatchEvaluationCursor? {
        guard let payload = authenticator.open(token, purpose: purpose, scope: databaseID) else { return nil }
        let parts = payload.split(separator: "\n", omittingEmptySubsequences: false)
        guard parts.count == 2, let createdAt = Int64(parts[0]), !parts[1].isEmpty else { return nil }
        return BatchEvaluationCursor(createdAt: createdAt, id: String(parts[1]))
    }
}
