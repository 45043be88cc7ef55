import Foundation

/// The JSON text an adapter stores for a job's structured fields (evaluator ids, sessions, results,
/// error details), and the way back.
///
/// Keys are sorted, so the same value always gives the same text. Adapters that keep a job in columns
/// (SQLite, Postgres, a third party's) use it so that every backend stores the same text.
public enum BatchEvaluationStoredJSON {
    /// `value` as JSON text, keys sorted.
    public static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value stored as `text`.
    public static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// The job with these stored columns; a stored status or JSON text this version cannot read is an
    /// ``StorageError/internal(underlying:)`` naming the job.
    public static func job(
        id: String, arn: String, name: String, description: String?, status: String,
        evaluatorIDs: String, sessions: String, dataSourceConfig: String, results: String, errorDetails: String,
        createdAt: Int64, updatedAt: Int64, clientToken: String?, parametersHash: String, evalRunsTable: String,
        leaseOwner: String?, leaseExpiresAt: Int64?
    ) throws -> BatchEvaluation {
        let status = try self.status(status, id: id)
        do {
            return BatchEvaluation(
                id: id,
                arn: arn,
                name: name,
                description: description,
                status: status,
                evaluatorIDs: try value([String].self, from: evaluatorIDs),
                sessions: try value([BatchEvaluationSession].self, from: sessions),
                dataSourceConfig: try JSONValue(parsing: dataSourceConfig),
                results: try value(BatchEvaluationResults.self, from: results),
                errorDetails: try value([String].self, from: errorDetails),
                createdAt: createdAt,
                updatedAt: updatedAt,
                clientToken: clientToken,
                parametersHash: parametersHash,
                evalRunsTable: evalRunsTable,
                leaseOwner: leaseOwner,
                leaseExpiresAt: leaseExpiresAt
            )
        } catch {
            throw StorageError.internal(underlying: "batch evaluation '\(id)' has unreadable JSON: \(error)")
        }
    }

    /// A stored status; one this version does not know is an ``StorageError/internal(underlying:)``.
    public static func status(_ text: String, id: String) throws(StorageError) -> BatchEvaluationStatus {
        guard let status = BatchEvaluationStatus(rawValue: text) else {
            throw .internal(underlying: "stored status '\(text)' of batch evaluation '\(id)' is unknown")
        }
        return status
    }
}
