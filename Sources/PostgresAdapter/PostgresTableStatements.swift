import EvalGatewayCore

/// Postgres identifiers: quoting, and the rules a configured schema or table name must meet.
enum PostgresIdentifier {
    /// The longest identifier Postgres keeps (`NAMEDATALEN - 1` bytes); longer ones are cut silently,
    /// which could make two configured names one table.
    static let maximumLength = 63

    /// `identifier` as a quoted identifier: wrapped in double quotes, inner double quotes doubled.
    /// No other transformation is needed for Postgres to read any string back exactly.
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Why `identifier` cannot name a Postgres object, or `nil` if it can.
    static func problem(with identifier: String) -> String? {
        if identifier.isEmpty { return "must not be empty" }
        if identifier.utf8.contains(0) { return "must not contain NUL characters" }
        if identifier.utf8.count > maximumLength { return "'\(identifier)' is longer than \(maximumLength) bytes, the most Postgres keeps" }
        return nil
    }

    /// Splits a configured table name into schema and table: `name` alone is in `defaultSchema`,
    /// `schema.name` names its schema. Throws a ``ConfigurationError`` at `key` for anything else.
    static func split(table: String, defaultSchema: String, key: String) throws(ConfigurationError) -> (schema: String, name: String) {
        let parts = table.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let schema: String
        let name: String
        switch parts.count {
        case 1: (schema, name) = (defaultSchema, parts[0])
        case 2: (schema, name) = (parts[0], parts[1])
        default: throw ConfigurationError(key: key, problem: "'\(table)' is not a table name or a schema.table name")
        }
        if let problem = problem(with: schema) { throw ConfigurationError(key: key, problem: "the schema of '\(table)' \(problem)") }
        if let problem = problem(with: name) { throw ConfigurationError(key: key, problem: "the table name of '\(table)' \(problem)") }
        return (schema, name)
    }
}

/// The SQL of one registered table, built once from its configured name. The names are quoted here and
/// nowhere else; every value is a bound parameter.
struct PostgresTableStatements: Sendable {
    /// The name as configured (what requests pass).
    let table: String
    /// The schema it lives in.
    let schema: String
    /// Its name within the schema.
    let name: String
    /// `"schema"."name"`.
    let qualified: String

    let createSchema: String
    let createTable: String
    let createIndexes: [String]
    let selectByID: String
    let insert: String
    let rename: String
    let delete: String
    let deleteReturning: String

    /// The columns of an eval-runs table, in the order statements select them (JSON columns as text).
    typealias Column = EvalRunTableColumn

    init(table: String, defaultSchema: String) throws(ConfigurationError) {
        let (schema, name) = try PostgresIdentifier.split(table: table, defaultSchema: defaultSchema, key: "tables")
        self.table = table
        self.schema = schema
        self.name = name
        let quotedSchema = PostgresIdentifier.quote(schema)
        let qualified = quotedSchema + "." + PostgresIdentifier.quote(name)
        self.qualified = qualified
        createSchema = "CREATE SCHEMA IF NOT EXISTS \(quotedSchema)"
        createTable = """
            CREATE TABLE IF NOT EXISTS \(qualified) (
                run_id VARCHAR NOT NULL PRIMARY KEY,
                eval_type VARCHAR NOT NULL,
                eval_data JSONB NOT NULL,
                eval_input JSONB NOT NULL,
                name VARCHAR,
                agent_id VARCHAR,
                team_id VARCHAR,
                workflow_id VARCHAR,
                model_id VARCHAR,
                model_provider VARCHAR,
                evaluated_component_name VARCHAR,
                user_id VARCHAR,
                created_at BIGINT NOT NULL,
                updated_at BIGINT
            )
            """
        createIndexes = ["created_at", "user_id"].map { column in
            "CREATE INDEX IF NOT EXISTS \(PostgresIdentifier.quote(Self.indexName(table: name, column: column))) ON \(qualified) (\(column))"
        }
        selectByID = "SELECT \(Column.selectList) FROM \(qualified) WHERE run_id = $1"
        let placeholders = Column.allCases.map { "$\($0.rawValue + 1)" }.joined(separator: ", ")
        insert = "INSERT INTO \(qualified) (\(Column.nameList)) VALUES (\(placeholders))"
        rename = "UPDATE \(qualified) SET name = $1, updated_at = $2 WHERE run_id = $3 RETURNING \(Column.selectList)"
        delete = "DELETE FROM \(qualified) WHERE run_id = ANY($1::text[])"
        deleteReturning = delete + " RETURNING run_id"
    }

    /// The WHERE condition of a delete by filter (not empty) and its parameters, `$1` onwards.
    func condition(_ filter: EvalRunFilter) -> (sql: String, parameters: [String?]) {
        let (sql, values) = filter.conditions.sql(PostgresDialect())
        return (sql, values.map(PostgresDialect.text))
    }

    /// Agno's index name, `idx_<table>_<column>`; when that is longer than Postgres keeps, a shortened
    /// name with a hash of the full one, so that two long table names never share an index name.
    static func indexName(table: String, column: String) -> String {
        let full = "idx_\(table)_\(column)"
        guard full.utf8.count > PostgresIdentifier.maximumLength else { return full }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in full.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let suffix = "_" + String(hash, radix: 16) + "_" + column
        var prefix = ""
        for character in "idx_\(table)" {
            if prefix.utf8.count + String(character).utf8.count + suffix.utf8.count > PostgresIdentifier.maximumLength { break }
            prefix.append(character)
        }
        return prefix + suffix
    }

    /// A page of runs matching `query` and the number of matching runs, in one statement (so one
    /// snapshot): the count joined with the page, at least one row even when the page is empty.
    /// Returns the SQL and its parameters; the total is column 0, the run's ``Column``s follow.
    func list(_ query: EvalRunQuery, createdAtIsNotNull: Bool) -> (sql: String, parameters: [String?]) {
        let (condition, values) = query.conditions.sql(PostgresDialect())
        var parameters = values.map(PostgresDialect.text)
        let filter = condition.isEmpty ? "" : " WHERE " + condition
        parameters.append(String(query.limit))
        let limit = parameters.count
        parameters.append(String(query.offset))
        let offset = parameters.count
        let sql = """
            SELECT c.total, p.* FROM (SELECT count(*) AS total FROM \(qualified)\(filter)) AS c \
            LEFT JOIN LATERAL (SELECT \(Column.selectList) FROM \(qualified)\(filter)\
            \(Self.orderBy(query, prefix: "", createdAtIsNotNull: createdAtIsNotNull)) LIMIT $\(limit) OFFSET $\(offset)) AS p ON true\
            \(Self.orderBy(query, prefix: "p.", createdAtIsNotNull: createdAtIsNotNull))
            """
        return (sql, parameters)
    }

    /// The contract's order (``EvalRunOrdering``): text by bytes (`COLLATE "C"`), nulls first ascending
    /// and last descending, ties by run id in the same direction. A `created_at` known to be NOT NULL
    /// needs no NULLS clause, which lets its index serve the order.
    static func orderBy(_ query: EvalRunQuery, prefix: String, createdAtIsNotNull: Bool) -> String {
        let direction = query.sortOrder == .ascending ? "ASC" : "DESC"
        let nulls = query.sortOrder == .ascending ? " NULLS FIRST" : " NULLS LAST"
        let tieBreak = "\(prefix)run_id COLLATE \"C\" \(direction)"
        let column = query.sortBy
        switch column {
        case .runID:
            return " ORDER BY \(tieBreak)"
        case .createdAt where createdAtIsNotNull:
            return " ORDER BY \(prefix)created_at \(direction), \(tieBreak)"
        case .createdAt, .updatedAt:
            return " ORDER BY \(prefix)\(column.rawValue) \(direction)\(nulls), \(tieBreak)"
        case .evalType, .name, .agentID, .teamID, .workflowID, .modelID, .modelProvider, .evaluatedComponentName, .userID:
            return " ORDER BY \(prefix)\(column.rawValue) COLLATE \"C\" \(direction)\(nulls), \(tieBreak)"
        }
    }
}

/// Postgres array literals for one `text[]` parameter.
package enum PostgresArrayLiteral {
    /// `{"a","b"}`: every element double-quoted, with `"` and `\` escaped by a backslash, so no element
    /// is read as NULL, split at a comma or brace, or trimmed. The strings must not contain NUL.
    package static func text(_ elements: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.reduce(2) { $0 + $1.utf8.count + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
