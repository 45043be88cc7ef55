public import EvalGatewayCore
public import Logging
import Synchronization

/// An eval-runs store over one PostgreSQL database, through libpq, in Agno's schema.
///
/// - Nothing is opened when the store is made: connections are opened as operations need them, up to
///   ``PostgresStoreSettings/maxConnections``, and closed after ``PostgresStoreSettings/idleTimeoutSeconds``
///   unused. They are nonblocking libpq connections served by one I/O thread for the whole process
///   (``PostgresEventLoop``): a statement is sent by the task that runs it, and its answer wakes that
///   task — no thread per connection. Statements are prepared per connection on first use.
/// - A statement stops when its caller goes away (the request's client disconnects: `PQcancel`, and the
///   caller gets `CancellationError`) or passes ``PostgresStoreSettings/statementTimeoutMilliseconds``
///   (set as the session's `statement_timeout` and also enforced by the client with `PQcancel`).
/// - A broken connection (`pg_terminate_backend`, a server restart) is replaced on next use; waiting for
///   a free connection is bounded by ``PostgresStoreSettings/poolTimeoutMilliseconds``. While the server
///   is down, operations throw ``StorageError/unavailable(underlying:retryAfter:)``, and work again once
///   it is back. Missing tables are created on the first operation that reaches the server.
/// - Every value is a bound parameter. A bulk delete is one statement with one `text[]` parameter
///   (`run_id = ANY($1::text[])`), so it is atomic and no number of ids meets a parameter limit.
/// - Lists order as the contract says (``EvalRunOrdering``): `COLLATE "C"`, nulls first ascending and
///   last descending, ties by run id.
/// - An existing Agno table (`json` or `jsonb` columns) is served as it is.
public final class PostgresEvalRunStore: EvalRunStore, PoolStatisticsReporting {
    private let pool: PostgresConnectionPool
    private let statements: [String: PostgresTableStatements]
    private let createTables: Bool
    /// Per table, whether `created_at` is NOT NULL, once the tables have been checked (and created).
    private let tableFacts = PostgresSetup<[String: Bool]>()
    private let logger: Logger
    /// The database's batch-evaluation jobs, over the same pool.
    let jobs: PostgresBatchEvaluationStore
    /// The database's audit trail, in the same schema, written by the deletes of runs and jobs.
    private let trail: PostgresAuditTrail

    /// A store over `tables` (names as configured: `name` in ``PostgresStoreSettings/schema``, or
    /// `schema.name`). Connects to nothing; throws a ``ConfigurationError`` for an unusable table or
    /// schema name.
    /// - Parameters:
    ///   - clock: times idle connections and waits for one (tests pass a ``ManualClock``).
    ///   - budget: asked before each connection is opened.
    public init(
        settings: PostgresStoreSettings,
        tables: [String],
        logger: Logger = Logger(label: "evalgw.postgres"),
        clock: AnyClock = .continuous,
        budget: any ConnectionBudget = UnlimitedConnectionBudget()
    ) throws {
        if let problem = PostgresIdentifier.problem(with: settings.schema) {
            throw ConfigurationError(key: "schema", problem: problem)
        }
        var statements: [String: PostgresTableStatements] = [:]
        for (index, table) in tables.enumerated() {
            do {
                statements[table] = try PostgresTableStatements(table: table, defaultSchema: settings.schema)
            } catch {
                throw ConfigurationError(key: "tables[\(index)]", problem: error.problem)
            }
        }
        self.statements = statements
        self.createTables = settings.createTables
        self.logger = logger
        self.pool = PostgresConnectionPool(
            label: "PostgreSQL pool of \(settings.applicationName)",
            size: max(1, settings.maxConnections),
            parameters: settings.connectionParameters,
            waitTimeout: .milliseconds(settings.poolTimeoutMilliseconds),
            idleTimeout: .seconds(settings.idleTimeoutSeconds),
            clock: clock,
            budget: budget
        )
        let trail = PostgresAuditTrail(schema: settings.schema, createTables: settings.createTables)
        self.trail = trail
        self.jobs = PostgresBatchEvaluationStore(pool: pool, schema: settings.schema, createTables: settings.createTables, trail: trail, logger: logger)
    }

    /// Current use of the connection pool, for the pool gauges: connections lent out, open connections
    /// free for work, and operations waiting for one.
    public var poolStatistics: PoolStatistics { pool.statistics }

    /// The server process ids of the store's open connections (for tests and diagnostics).
    package var backendProcessIDs: [Int32] { pool.backendProcessIDs }

    /// The pool, for tests that need a connection of the store's own.
    package var connectionPool: PostgresConnectionPool { pool }

    /// One page of runs and the number matching the filters, read in one statement (one snapshot).
    public func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
        let statements = try statements(for: table)
        try Self.validate(query)
        return try await run(.idempotent) { connection, facts in
            let (sql, parameters) = statements.list(query, createdAtIsNotNull: facts[table] ?? false)
            let result = try await connection.executePrepared(sql, parameters)
            var runs: [EvalRun] = []
            runs.reserveCapacity(result.rowCount)
            // Column 0 is the total; a page past the end is one row with no run.
            for row in 0..<result.rowCount {
                let run = PostgresRow<PostgresTableStatements.Column>(result: result, row: row, offset: 1)
                if !run.isNull(.runID) { runs.append(Self.evalRun(from: run)) }
            }
            let total = result.rowCount > 0 ? Int(result.int64(0, 0)) : 0
            return EvalRunPage(runs: runs, totalCount: total)
        }
    }

    /// The run with this id, or `nil`.
    public func evalRun(id: String, in table: String) async throws -> EvalRun? {
        let sql = try statements(for: table).selectByID
        try StoredText.validate(id, field: "id")
        return try await run(.idempotent) { connection, _ in
            let result = try await connection.executePrepared(sql, [id])
            return result.rowCount > 0 ? Self.evalRun(from: PostgresRow(result: result, row: 0)) : nil
        }
    }

    /// Inserts a run; an existing id (SQLSTATE 23505) is a ``StorageError/conflict(_:)``.
    public func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
        let sql = try statements(for: table).insert
        try StoredText.validate(run)
        let parameters = PostgresTableStatements.Column.allCases.map { Self.parameter(of: run, $0) }
        do {
            try await self.run(.write) { connection, _ in
                _ = try await connection.executePrepared(sql, parameters)
            }
        } catch let error as StorageError where error.kind == .conflict {
            throw StorageError.conflict("An eval run with id '\(run.id)' already exists")
        }
        return run
    }

    /// Sets a run's name and `updated_at` in one `UPDATE … RETURNING`; a missing id is
    /// ``StorageError/notFound(_:)``.
    public func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
        let sql = try statements(for: table).rename
        try StoredText.validate(name, field: "name")
        try StoredText.validate(id, field: "id")
        let renamed = try await run(.write) { connection, _ -> EvalRun? in
            let result = try await connection.executePrepared(sql, [name, String(timestamp), id])
            return result.rowCount > 0 ? Self.evalRun(from: PostgresRow(result: result, row: 0)) : nil
        }
        guard let renamed else { throw StorageError.notFound("Eval run with id '\(id)' not found") }
        return renamed
    }

    /// Deletes the runs with these ids and writes the audit record in one statement — `WITH removed AS
    /// (DELETE … WHERE run_id = ANY($1::text[]) RETURNING run_id), recorded AS (INSERT INTO evalgw_audit …
    /// count(*) FROM removed)` — so both commit together: atomic, duplicates counted once, the count from
    /// the record (or the `RETURNING run_id` rows).
    public func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
        let statements = try statements(for: table)
        try StoredText.validate(ids: ids)
        let recorded = trail.insert(from: "removed", deleted: "count(*)", firstParameter: 2)
        let sql = """
            WITH removed AS (\(statements.deleteReturning)), recorded AS (\(recorded) RETURNING deleted) \
            \(returningRemovedIDs ? "SELECT run_id FROM removed" : "SELECT deleted FROM recorded")
            """
        let trail = trail
        // Encoded before a connection is taken: a million ids are megabytes of text.
        let parameters: [String?] = [PostgresArrayLiteral.text(ids)] + PostgresAuditTrail.values(of: audit)
        return try await run(.write) { connection, _ in
            try await trail.prepare(on: connection)
            // A deadlock or serialization failure rolled the statement back whole: run it again.
            var attempt = 1
            while true {
                do {
                    let result = try await connection.executePrepared(sql, parameters)
                    guard returningRemovedIDs else { return EvalRunDeletion(deletedCount: Int(result.int64(0, 0))) }
                    var removed: [String] = []
                    removed.reserveCapacity(result.rowCount)
                    for row in 0..<result.rowCount { removed.append(result.string(row, 0)) }
                    return EvalRunDeletion(deletedCount: result.rowCount, removedIDs: removed)
                } catch let error as PostgresError where error.isTransientConflict && attempt < 5 {
                    attempt += 1
                }
            }
        }
    }

    /// One batch, in one transaction: `DELETE … WHERE run_id IN (SELECT run_id … WHERE <filter> LIMIT n)
    /// RETURNING run_id`, then (when the batch is full) whether a matching row is left, then the audit
    /// record of the ids removed.
    public func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
        let statements = try statements(for: table)
        try filter.validate()
        let (condition, values) = statements.condition(filter)
        let deleteSQL = """
            DELETE FROM \(statements.qualified) WHERE run_id IN \
            (SELECT run_id FROM \(statements.qualified) WHERE \(condition) LIMIT $\(values.count + 1)::bigint) RETURNING run_id
            """
        let existsSQL = "SELECT EXISTS (SELECT 1 FROM \(statements.qualified) WHERE \(condition))"
        let trail = trail
        return try await run(.write) { connection, _ in
            try await trail.prepare(on: connection)
            var attempt = 1
            while true {
                do {
                    return try await connection.inTransaction {
                        let result = try await connection.executePrepared(deleteSQL, values + [String(max(0, limit))])
                        var removed: [String] = []
                        removed.reserveCapacity(result.rowCount)
                        for row in 0..<result.rowCount { removed.append(result.string(row, 0)) }
                        var hasMore = false
                        if removed.count >= limit {
                            hasMore = try await connection.executePrepared(existsSQL, values).string(0, 0) == "t"
                        }
                        try await connection.executePrepared(trail.insertValues, PostgresAuditTrail.allValues(of: audit.deleting(ids: removed)))
                        return EvalRunBatchDeletion(deletedCount: removed.count, hasMore: hasMore)
                    }
                } catch let error as PostgresError where error.isTransientConflict && attempt < 5 {
                    attempt += 1
                }
            }
        }
    }

    /// `SELECT count(*) … WHERE <filter>`.
    public func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
        let statements = try statements(for: table)
        try filter.validate()
        let (condition, values) = statements.condition(filter)
        let sql = "SELECT count(*) FROM \(statements.qualified) WHERE \(condition)"
        return try await run(.idempotent) { connection, _ in
            Int(try await connection.executePrepared(sql, values).int64(0, 0))
        }
    }

    /// One page of the audit trail and its total, in one statement.
    public func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
        try StoredText.validate(query.principal, field: "principal")
        let trail = trail
        return try await run(.idempotent) { connection, _ in
            try await trail.prepare(on: connection)
            return try await trail.page(matching: query, on: connection)
        }
    }

    /// Runs `SELECT 1`; throws ``StorageError/unavailable(underlying:retryAfter:)`` when the server is not there.
    public func ping() async throws {
        do {
            _ = try await pool.run(.idempotent) { connection in try await connection.executePrepared("SELECT 1", []) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Fails callers still waiting for a connection and closes every connection after its running statement.
    public func shutdown() async {
        await pool.close()
    }

    // MARK: - Running statements

    private func statements(for table: String) throws(StorageError) -> PostgresTableStatements {
        guard let statements = statements[table] else { throw .invalid("Unknown table '\(table)'") }
        return statements
    }

    /// Runs `body` on a pooled connection, once the tables are known to exist (checked by one caller,
    /// before it borrows a connection for `body`), and turns driver errors into storage errors.
    private func run<T: Sendable>(
        _ policy: PostgresRetryPolicy,
        _ body: (PostgresConnection, [String: Bool]) async throws -> T
    ) async throws -> T {
        do {
            let facts = try await tableFacts.value { [self] in
                try await pool.run(.idempotent) { connection in try await prepareTables(on: connection) }
            }
            return try await pool.run(policy) { connection in try await body(connection, facts) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Checks the tables once per store, creating what is missing when `create_tables` is on. Each schema
    /// involved is guarded by a transaction-scoped advisory lock (taken in a fixed order), so that gateways
    /// starting together do not race on the catalog while stores over other schemas are not held up.
    /// An existing table is left as it is.
    private func prepareTables(on connection: PostgresConnection) async throws -> [String: Bool] {
        let tables = statements.values.sorted { $0.table < $1.table }
        let facts = try await connection.inTransaction {
            if createTables {
                for key in Set(tables.map { Self.setupLockKey(schema: $0.schema) }).sorted() {
                    try await connection.execute("SELECT pg_advisory_xact_lock($1)", [String(key)])
                }
            }
            var facts: [String: Bool] = [:]
            for table in tables {
                let exists = !(try await connection.execute("SELECT to_regclass($1)", [table.qualified]).isNull(0, 0))
                if !exists, createTables {
                    let schemaExists = !(try await connection.execute("SELECT to_regnamespace($1)", [PostgresIdentifier.quote(table.schema)]).isNull(0, 0))
                    if !schemaExists { try await connection.execute(table.createSchema) }
                    try await connection.execute(table.createTable)
                    for index in table.createIndexes { try await connection.execute(index) }
                }
                let notNull = try await connection.execute(
                    "SELECT attnotnull FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'created_at' AND NOT attisdropped",
                    [table.qualified]
                )
                facts[table.table] = notNull.rowCount > 0 && notNull.string(0, 0) == "t"
            }
            return facts
        }
        // The audit trail too, when the store may create it (without, a missing one fails deletes only).
        if createTables { try await trail.prepare(on: connection) }
        return facts
    }

    /// The advisory lock key held while the tables of `schema` are checked and created: a 64-bit FNV-1a
    /// hash of `evalgw.schema:<schema>`.
    static func setupLockKey(schema: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "evalgw.schema:\(schema)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    /// Maps a driver error to the contract's typed errors; what the driver said stays in `underlying`.
    ///
    /// Connection failures and SQLSTATE class 08, `57P01`–`57P03` and class 53 are `unavailable`, as are
    /// a statement timeout (`57014`) and a deadlock or serialization failure that outlived its retries;
    /// `23505` is `conflict`; class 22 (a value the column cannot hold) is `invalid`; anything else is
    /// `internal`.
    package static func storageError(_ error: any Error) -> StorageError {
        guard let error = error as? PostgresError else { return StorageError(error) }
        if error.isConnectionFailure { return StorageError.unavailable(underlying: error.description, retryAfter: 5) }
        switch error.sqlState {
        case "23505"?:
            return StorageError.conflict("A record with this id already exists")
        case "57014"?, "40001"?, "40P01"?:
            return StorageError.unavailable(underlying: error.description, retryAfter: 1)
        case let state? where state.hasPrefix("22"):
            return StorageError.invalid("The request holds a value this database cannot store")
        default:
            return StorageError.internal(underlying: error.description)
        }
    }

    private static func validate(_ query: EvalRunQuery) throws(StorageError) {
        for (field, value) in [("agent_id", query.agentID), ("team_id", query.teamID), ("workflow_id", query.workflowID), ("model_id", query.modelID)] {
            try StoredText.validate(value, field: field)
        }
        for type in query.evalTypes ?? [] { try StoredText.validate(type.rawValue, field: "eval_types") }
    }

    // MARK: - Rows

    /// The run a row holds.
    private static func evalRun(from row: PostgresRow<PostgresTableStatements.Column>) -> EvalRun {
        EvalRun(
            id: row.string(.runID),
            agentID: row.optionalString(.agentID),
            modelID: row.optionalString(.modelID),
            modelProvider: row.optionalString(.modelProvider),
            teamID: row.optionalString(.teamID),
            workflowID: row.optionalString(.workflowID),
            name: row.optionalString(.name),
            evaluatedComponentName: row.optionalString(.evaluatedComponentName),
            userID: row.optionalString(.userID),
            evalType: EvalType(rawValue: row.string(.evalType)),
            evalData: json(row.optionalString(.evalData)),
            evalInput: json(row.optionalString(.evalInput)),
            createdAt: row.int64(.createdAt),
            updatedAt: row.optionalInt64(.updatedAt)
        )
    }

    /// The value `run` stores in `column`, in libpq's text format.
    private static func parameter(of run: EvalRun, _ column: PostgresTableStatements.Column) -> String? {
        switch column {
        case .runID: run.id
        case .agentID: run.agentID
        case .modelID: run.modelID
        case .modelProvider: run.modelProvider
        case .teamID: run.teamID
        case .workflowID: run.workflowID
        case .name: run.name
        case .evaluatedComponentName: run.evaluatedComponentName
        case .userID: run.userID
        case .evalType: run.evalType.rawValue
        case .evalData: run.evalData.text
        case .evalInput: run.evalInput.text
        case .createdAt: String(run.createdAt)
        case .updatedAt: run.updatedAt.map { String($0) }
        }
    }

    /// Stored JSON text, served as the column gives it back (`json` keeps the client's text, `jsonb`
    /// its own normal form); text that is not JSON (a `text` column another tool filled) is served as a
    /// JSON string.
    private static func json(_ text: String?) -> JSONText {
        guard let text else { return .null }
        return JSONText(stored: text)
    }
}
