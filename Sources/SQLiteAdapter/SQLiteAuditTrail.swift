import EvalGatewayCore

/// The audit trail of one SQLite file: table `evalgw_audit`, written by every delete inside the delete's
/// own savepoint (so a record commits exactly with its delete, one per delete even when many share a
/// group commit), and read newest first.
enum SQLiteAuditTrail {
    static let table = "evalgw_audit"

    static let createTable = """
        CREATE TABLE IF NOT EXISTS \(table) (
            id TEXT NOT NULL PRIMARY KEY,
            at INTEGER NOT NULL,
            principal TEXT NOT NULL,
            request_id TEXT,
            db_id TEXT NOT NULL,
            table_name TEXT,
            kind TEXT NOT NULL,
            ids_count INTEGER NOT NULL,
            ids_sha256 TEXT NOT NULL,
            filter TEXT,
            deleted INTEGER NOT NULL,
            ids TEXT
        );
        CREATE INDEX IF NOT EXISTS idx_\(table)_at ON \(table) (at, id);
        """

    /// The columns of the audit table, in the order statements select and insert them.
    typealias Column = AuditTableColumn

    private static let columns = Column.nameList
    private static let insertSQL = "INSERT INTO \(table) (\(columns)) VALUES (\(Column.placeholders))"

    /// Writes `record` on the writer, inside the caller's savepoint.
    static func insert(_ record: AuditRecord, on connection: SQLiteConnection) throws {
        var ids: SQLiteValue = .null
        if let list = record.ids {
            var writer = JSONWriter(capacity: list.count * 40 + 2)
            writer.write(strings: list)
            ids = .text(writer.text)
        }
        try connection.cachedStatement(insertSQL).run(Column.allCases.map { column -> SQLiteValue in
            switch column {
            case .id: .text(record.id)
            case .at: .integer(record.at)
            case .principal: .text(record.principal)
            case .requestID: record.requestID.map(SQLiteValue.text) ?? .null
            case .databaseID: .text(record.databaseID)
            case .table: record.table.map(SQLiteValue.text) ?? .null
            case .kind: .text(record.kind.rawValue)
            case .idsCount: .integer(Int64(record.idsCount))
            case .idsSHA256: .text(record.idsSHA256)
            case .filter: record.filter.map(SQLiteValue.text) ?? .null
            case .deleted: .integer(Int64(record.deleted))
            case .ids: ids
            }
        })
    }

    /// One page of records matching `query`, newest first, and their number, read in one snapshot.
    static func page(matching query: AuditQuery, on connection: SQLiteConnection) throws -> AuditPage {
        var clauses: [String] = []
        var values: [SQLiteValue] = []
        if let since = query.since { clauses.append("at >= ?"); values.append(.integer(since)) }
        if let until = query.until { clauses.append("at < ?"); values.append(.integer(until)) }
        if let principal = query.principal { clauses.append("principal = ?"); values.append(.text(principal)) }
        if let kind = query.kind { clauses.append("kind = ?"); values.append(.text(kind.rawValue)) }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return try connection.inTransaction(.deferred) {
            let count = try connection.cachedStatement("SELECT COUNT(*) FROM \(table)\(filter)")
            try count.bind(values)
            _ = try count.step()
            let total = Int(count.int64(0))
            let list = try connection.cachedStatement("SELECT \(columns) FROM \(table)\(filter) ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
            try list.bind(values + [.integer(Int64(query.limit)), .integer(Int64(query.offset))])
            var records: [AuditRecord] = []
            while try list.step() { records.append(try record(from: list)) }
            return AuditPage(records: records, totalCount: total)
        }
    }

    private static func record(from statement: SQLiteStatement) throws -> AuditRecord {
        let row = SQLiteRow<Column>(statement: statement)
        let kind = row.text(.kind)
        guard let auditKind = AuditKind(rawValue: kind) else {
            throw StorageError.internal(underlying: "\(table) holds an unknown kind '\(kind)'")
        }
        var ids: [String]?
        if let text = row.optionalText(.ids) {
            guard case .array(let elements) = try? JSONText(validating: text).parsed() else {
                throw StorageError.internal(underlying: "\(table).ids is not a JSON array")
            }
            ids = elements.compactMap { if case .string(let id) = $0 { id } else { nil } }
        }
        return AuditRecord(
            id: row.text(.id), at: row.int64(.at), principal: row.text(.principal), requestID: row.optionalText(.requestID),
            databaseID: row.text(.databaseID), table: row.optionalText(.table), kind: auditKind, idsCount: Int(row.int64(.idsCount)),
            idsSHA256: row.text(.idsSHA256), filter: row.optionalText(.filter), deleted: Int(row.int64(.deleted)), ids: ids
        )
    }
}
