import EvalGatewayCore
import Synchronization

/// The audit trail of one Postgres database: table `evalgw_audit` in the store's schema, written by every
/// delete in the delete's own transaction — most in the same statement, as a data-modifying `WITH` — so
/// that a record exists if and only if its delete committed; read newest first.
final class PostgresAuditTrail: Sendable {
    static let tableName = "evalgw_audit"

    let schema: String
    let qualified: String
    private let createTables: Bool
    private let isPrepared = Mutex(false)

    /// The columns, in the order of ``allValues(of:)`` and of a read row.
    typealias Column = AuditTableColumn

    static let columns = Column.nameList

    init(schema: String, createTables: Bool) {
        self.schema = schema
        self.qualified = PostgresIdentifier.quote(schema) + "." + PostgresIdentifier.quote(Self.tableName)
        self.createTables = createTables
    }

    /// Creates the table and its index once per store (under the schema's advisory lock); with
    /// `create_tables` off, a missing table fails every delete, which may not run unaudited.
    func prepare(on connection: PostgresConnection) async throws {
        if isPrepared.withLock({ $0 }) { return }
        if try await connection.execute("SELECT to_regclass($1)", [qualified]).isNull(0, 0) {
            guard createTables else {
                throw StorageError.internal(underlying: "table \(qualified) for the audit trail is missing and create_tables is off: deletes cannot be audited")
            }
            try await connection.inTransaction {
                try await connection.execute("SELECT pg_advisory_xact_lock($1)", [String(PostgresEvalRunStore.setupLockKey(schema: schema))])
                try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(PostgresIdentifier.quote(schema))")
                try await connection.execute("""
                    CREATE TABLE IF NOT EXISTS \(qualified) (
                        id VARCHAR COLLATE "C" NOT NULL PRIMARY KEY,
                        at BIGINT NOT NULL,
                        principal VARCHAR COLLATE "C" NOT NULL,
                        request_id VARCHAR,
                        db_id VARCHAR NOT NULL,
                        table_name VARCHAR,
                        kind VARCHAR NOT NULL,
                        ids_count BIGINT NOT NULL,
                        ids_sha256 VARCHAR NOT NULL,
                        filter JSON,
                        deleted BIGINT NOT NULL,
                        ids JSON
                    )
                    """)
                try await connection.execute(
                    "CREATE INDEX IF NOT EXISTS \(PostgresIdentifier.quote("idx_\(Self.tableName)_at")) ON \(qualified) (at, id)"
                )
            }
        }
        isPrepared.withLock { $0 = true }
    }

    /// `INSERT INTO evalgw_audit (…) SELECT $first…, <deleted>, $last FROM <source>`: the insert of a
    /// data-modifying `WITH`, parameters `$first` to `$first+10` (``values(of:)``), `deleted` an SQL
    /// expression over `source`.
    func insert(from source: String, deleted: String, firstParameter first: Int) -> String {
        let p = (first..<(first + 11)).map { "$\($0)" }
        return """
            INSERT INTO \(qualified) (\(Self.columns)) SELECT \(p[0])::text, \(p[1])::bigint, \(p[2])::text, \(p[3])::text, \(p[4])::text, \
            \(p[5])::text, \(p[6])::text, \(p[7])::bigint, \(p[8])::text, \(p[9])::json, \(deleted), \(p[10])::json FROM \(source)
            """
    }

    /// `INSERT INTO evalgw_audit (…) VALUES ($1, …, $12)`.
    var insertValues: String {
        """
        INSERT INTO \(qualified) (\(Self.columns)) VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8::bigint, $9, $10::json, $11::bigint, $12::json)
        """
    }

    /// The record's values but `deleted`, for ``insert(from:deleted:firstParameter:)``.
    static func values(of record: AuditRecord) -> [String?] {
        [
            record.id, String(record.at), record.principal, record.requestID, record.databaseID, record.table, record.kind.rawValue,
            String(record.idsCount), record.idsSHA256, record.filter, idsJSON(record.ids),
        ]
    }

    /// All of the record's values, for ``insertValues``.
    static func allValues(of record: AuditRecord) -> [String?] {
        var values = self.values(of: record)
        values.insert(String(record.deleted), at: 10)
        return values
    }

    private static func idsJSON(_ ids: [String]?) -> String? {
        guard let ids else { return nil }
        var writer = JSONWriter(capacity: ids.count * 40 + 2)
        writer.write(strings: ids)
        return writer.text
    }

    /// One page of records matching `query`, newest first, and their number, in one statement (one
    /// snapshot): the count joined with the page, like the eval-runs list.
    func page(matching query: AuditQuery, on connection: PostgresConnection) async throws -> AuditPage {
        var clauses: [String] = []
        var parameters: [String?] = []
        if let since = query.since { parameters.append(String(since)); clauses.append("at >= $\(parameters.count)::bigint") }
        if let until = query.until { parameters.append(String(until)); clauses.append("at < $\(parameters.count)::bigint") }
        if let principal = query.principal { parameters.append(principal); clauses.append("principal = $\(parameters.count)") }
        if let kind = query.kind { parameters.append(kind.rawValue); clauses.append("kind = $\(parameters.count)") }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        parameters.append(String(query.limit))
        let limit = parameters.count
        parameters.append(String(query.offset))
        let offset = parameters.count
        let result = try await connection.executePrepared("""
            SELECT c.total, p.* FROM (SELECT count(*) AS total FROM \(qualified)\(filter)) AS c \
            LEFT JOIN LATERAL (SELECT \(Column.selectList) FROM \(qualified)\(filter) ORDER BY at DESC, id DESC \
            LIMIT $\(limit)::bigint OFFSET $\(offset)::bigint) AS p ON true ORDER BY p.at DESC, p.id DESC
            """, parameters)
        var records: [AuditRecord] = []
        for row in 0..<result.rowCount where !PostgresRow<Column>(result: result, row: row, offset: 1).isNull(.id) {
            records.append(try Self.record(result, row: row))
        }
        return AuditPage(records: records, totalCount: result.rowCount > 0 ? Int(result.int64(0, 0)) : 0)
    }

    /// The record in `row`, whose columns follow the total.
    private static func record(_ result: PostgresResult, row: Int) throws -> AuditRecord {
        let row = PostgresRow<Column>(result: result, row: row, offset: 1)
        let kind = row.string(.kind)
        guard let auditKind = AuditKind(rawValue: kind) else {
            throw StorageError.internal(underlying: "\(tableName) holds an unknown kind '\(kind)'")
        }
        var ids: [String]?
        if let text = row.optionalString(.ids) {
            guard case .array(let elements) = try? JSONText(validating: text).parsed() else {
                throw StorageError.internal(underlying: "\(tableName).ids is not a JSON array")
            }
            ids = elements.compactMap { if case .string(let id) = $0 { id } else { nil } }
        }
        return AuditRecord(
            id: row.string(.id), at: row.int64(.at), principal: row.string(.principal), requestID: row.optionalString(.requestID),
            databaseID: row.string(.databaseID), table: row.optionalString(.table), kind: auditKind, idsCount: Int(row.int64(.idsCount)),
            idsSHA256: row.string(.idsSHA256), filter: row.optionalString(.filter), deleted: Int(row.int64(.deleted)), ids: ids
        )
    }
}
