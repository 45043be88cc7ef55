public import EvalGatewayCore
import Logging
import Synchronization

/// Batch-evaluation jobs in a PostgreSQL database, in table `evalgw_batch_evaluations` of the store's
/// schema, over the same connection pool as its eval runs.
///
/// Every operation is one statement, so each is atomic under any number of gateways on the same
/// server:
/// - a delete is `DELETE … WHERE id = $1 AND status IN (terminal…) RETURNING status, arn`. A runner
///   or a stop holding the row makes it wait, and it then re-checks the status of the row as committed;
/// - a claim locks the oldest runnable job with `FOR UPDATE SKIP LOCKED`, so runners on several
///   gateways never take the same job and never wait for each other, and takes over an expired lease;
/// - a create is `INSERT … ON CONFLICT DO NOTHING`; when it inserts nothing, the unique client token
///   or name it met says why.
///
/// Ids and names compare bytewise (`COLLATE "C"`), so lists page in the same order on every adapter.
public final class PostgresBatchEvaluationStore: BatchEvaluationStore {
    private let pool: PostgresConnectionPool
    private let schema: String
    private let createTables: Bool
    private let statements: Statements
    private let logger: Logger
    /// Whether the jobs table is known to exist.
    private let isPrepared = PostgresSetup<Bool>()
    /// The database's audit trail, written by a delete in the same statement.
    private let trail: PostgresAuditTrail
    /// Whether the database offers batch evaluations: not once an operation found the jobs table missing
    /// with `create_tables` off (a database served as it is, without them).
    private let offered = Atomic<Bool>(true)

    /// The jobs table's name within the schema.
    static let tableName = "evalgw_batch_evaluations"

    /// A store over `pool`, in `schema`; with `createTables`, the table is created on first use.
    init(pool: PostgresConnectionPool, schema: String, createTables: Bool, trail: PostgresAuditTrail, logger: Logger) {
        self.pool = pool
        self.schema = schema
        self.createTables = createTables
        self.statements = Statements(schema: schema)
        self.trail = trail
        self.logger = logger
    }

    /// Whether the database offers batch evaluations (see ``PostgresEvalRunStore/batchEvaluations``).
    var isOffered: Bool { offered.load(ordering: .relaxed) }

    public func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation {
        try StoredText.validate(job.description, field: "description")
        try StoredText.validate(job.name, field: "batchEvaluationName")
        try StoredText.validate(job.clientToken, field: "clientToken")
        let values = try Self.values(of: job)
        let statements = statements
        return try await run(.write) { connection in
            // An insert that meets a unique key inserts nothing; the row it met is then committed and
            // visible to the next statement. Should that row be deleted in between, insert again.
            for _ in 0..<3 {
                if try await connection.executePrepared(statements.insert, values).rowCount > 0 {
                    return BatchEvaluationCreation(job: job, created: true)
                }
                if let token = job.clientToken {
                    let existing = try await connection.executePrepared(statements.selectByToken, [token])
                    if existing.rowCount > 0 {
                        let stored = try Self.job(from: existing, row: 0)
                        guard stored.parametersHash == job.parametersHash else {
                            throw BatchEvaluationError.idempotentParameterMismatch(
                                "The client token '\(token)' was already used with different parameters"
                            )
                        }
                        return BatchEvaluationCreation(job: stored, created: false)
                    }
                }
                if try await connection.executePrepared(statements.selectName, [job.name]).rowCount > 0 {
                    throw StorageError.conflict("A batch evaluation named '\(job.name)' already exists")
                }
                if try await connection.executePrepared(statements.selectStatus, [job.id]).rowCount > 0 {
                    throw StorageError.conflict("A batch evaluation with id '\(job.id)' already exists")
                }
            }
            throw StorageError.unavailable(underlying: "batch evaluation '\(job.id)' kept meeting rows deleted under it", retryAfter: 1)
        }
    }

    public func batchEvaluation(id: String) async throws -> BatchEvaluation? {
        try StoredText.validate(id, field: "batchEvaluationId")
        let sql = statements.selectByID
        return try await run(.idempotent) { connection in
            let result = try await connection.executePrepared(sql, [id])
            return result.rowCount > 0 ? try Self.job(from: result, row: 0) : nil
        }
    }

    public func batchEvaluationState(id: String) async throws -> BatchEvaluationState? {
        try StoredText.validate(id, field: "batchEvaluationId")
        let sql = statements.selectState
        return try await run(.idempotent) { connection in
            let result = try await connection.executePrepared(sql, [id])
            return result.rowCount > 0 ? try Self.state(from: result, id: id) : nil
        }
    }

    public func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage {
        if let cursor { try StoredText.validate(cursor.id, field: "nextToken") }
        let statements = statements
        return try await run(.idempotent) { connection in
            let result: PostgresResult
            if let cursor {
                result = try await connection.executePrepared(statements.nextPage, [String(cursor.createdAt), cursor.id, String(limit + 1)])
            } else {
                result = try await connection.executePrepared(statements.firstPage, [String(limit + 1)])
            }
            let jobs = try (0..<min(result.rowCount, limit)).map { try Self.job(from: result, row: $0) }
            return BatchEvaluationPage(jobs: jobs, next: result.rowCount > limit ? jobs.last?.cursor : nil)
        }
    }

    public func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation {
        try StoredText.validate(id, field: "batchEvaluationId")
        let statements = statements
        return try await run(.write) { connection in
            let result = try await connection.executePrepared(statements.stop, [String(timestamp), id])
            if result.rowCount > 0 { return try Self.job(from: result, row: 0) }
            // Nothing stoppable: the job is terminal (and stays so) or gone.
            let status = try await connection.executePrepared(statements.selectStatus, [id])
            guard status.rowCount > 0 else { throw StorageError.notFound("Batch evaluation '\(id)' not found") }
            throw StorageError.conflict("Batch evaluation '\(id)' is already \(status.string(0, 0)) and cannot be stopped")
        }
    }

    /// `WITH removed AS (DELETE … WHERE id = $1 AND status IN (terminal…) RETURNING …), recorded AS (INSERT
    /// INTO evalgw_audit … FROM removed)`: the job and its audit record in one statement.
    public func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion {
        try StoredText.validate(id, field: "batchEvaluationId")
        let statements = statements
        let trail = trail
        let sql = "WITH removed AS (\(statements.delete)), recorded AS (\(trail.insert(from: "removed", deleted: "1", firstParameter: 2))) SELECT status, arn FROM removed"
        let parameters: [String?] = [id] + PostgresAuditTrail.values(of: audit)
        return try await run(.write) { connection in
            try await trail.prepare(on: connection)
            for _ in 0..<3 {
                let deleted = try await connection.executePrepared(sql, parameters)
                if deleted.rowCount > 0 {
                    return BatchEvaluationDeletion(
                        id: id, arn: deleted.string(0, 1), status: try BatchEvaluationStoredJSON.status(deleted.string(0, 0), id: id)
                    )
                }
                let current = try await connection.executePrepared(statements.selectStatus, [id])
                guard current.rowCount > 0 else { throw StorageError.notFound("Batch evaluation '\(id)' not found") }
                let status = try BatchEvaluationStoredJSON.status(current.string(0, 0), id: id)
                // It finished between the two statements: it is deletable now.
                if status.isTerminal { continue }
                throw StorageError.conflict("Batch evaluation '\(id)' is \(status.rawValue), still running. Stop it first, then delete it")
            }
            throw StorageError.unavailable(underlying: "batch evaluation '\(id)' kept changing under its delete", retryAfter: 1)
        }
    }

    public func claimBatchEvaluation(owner: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation? {
        let sql = statements.claim
        return try await run(.write) { connection in
            let result = try await connection.executePrepared(sql, [owner, String(leaseExpiresAt), String(timestamp)])
            return result.rowCount > 0 ? try Self.job(from: result, row: 0) : nil
        }
    }

    public func updateBatchEvaluation(id: String, owner: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState {
        let results = try BatchEvaluationStoredJSON.text(update.results)
        let errors = try BatchEvaluationStoredJSON.text(update.errorDetails)
        let statements = statements
        return try await run(.write) { connection in
            let result: PostgresResult
            if let final = update.finalStatus {
                result = try await connection.executePrepared(statements.finish, [results, errors, final.rawValue, String(timestamp), id, owner])
            } else {
                result = try await connection.executePrepared(
                    statements.progress, [results, errors, String(update.leaseExpiresAt), String(timestamp), id, owner]
                )
            }
            if result.rowCount > 0 { return try Self.state(from: result, id: id) }
            guard try await connection.executePrepared(statements.selectStatus, [id]).rowCount > 0 else {
                throw StorageError.notFound("Batch evaluation '\(id)' not found")
            }
            throw StorageError.conflict("Batch evaluation '\(id)' is not held by runner '\(owner)'")
        }
    }

    // MARK: - Running statements

    /// Runs `body` on a pooled connection once the jobs table exists, and turns driver errors into
    /// storage errors.
    private func run<T: Sendable>(_ policy: PostgresRetryPolicy, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            _ = try await isPrepared.value { [self] in
                try await pool.run(.idempotent) { connection in try await prepareTable(on: connection) }
                return true
            }
            return try await pool.run(policy) { connection in try await body(connection) }
        } catch let error as BatchEvaluationError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PostgresEvalRunStore.storageError(error)
        }
    }

    /// Creates the jobs table and its indexes once per store (one caller at a time), under the schema's advisory lock (the one
    /// the eval-runs tables are created under). With `create_tables` off, the table must exist: when it
    /// does not, the database stops offering batch evaluations and the operation is refused as invalid.
    private func prepareTable(on connection: PostgresConnection) async throws {
        if try await !statements.tableExists(on: connection) {
            guard createTables else {
                if offered.exchange(false, ordering: .relaxed) {
                    logger.info(
                        "batch evaluations are off for this database: create_tables is false and its table is missing",
                        metadata: ["table": "\(schema).\(Self.tableName)"]
                    )
                }
                throw StorageError.invalid("This database keeps no batch evaluations: its jobs table is missing and create_tables is off")
            }
            try await connection.inTransaction {
                try await connection.execute("SELECT pg_advisory_xact_lock($1)", [String(PostgresEvalRunStore.setupLockKey(schema: schema))])
                for statement in statements.createTable { try await connection.execute(statement) }
            }
        }
    }

    // MARK: - Rows

    /// The columns of the jobs table, in the order statements select and insert them.
    typealias Column = BatchEvaluationTableColumn

    /// The columns a job's state is read from.
    typealias StateColumn = BatchEvaluationStateColumn

    /// The job's values, in ``Column`` order.
    private static func values(of job: BatchEvaluation) throws -> [String?] {
        try Column.allCases.map { column throws -> String? in
            switch column {
            case .id: job.id
            case .arn: job.arn
            case .name: job.name
            case .description: job.description
            case .status: job.status.rawValue
            case .evaluators: try BatchEvaluationStoredJSON.text(job.evaluatorIDs)
            case .sessions: try BatchEvaluationStoredJSON.text(job.sessions)
            case .dataSourceConfig: job.dataSourceConfig.jsonText
            case .results: try BatchEvaluationStoredJSON.text(job.results)
            case .errorDetails: try BatchEvaluationStoredJSON.text(job.errorDetails)
            case .createdAt: String(job.createdAt)
            case .updatedAt: String(job.updatedAt)
            case .clientToken: job.clientToken
            case .parametersHash: job.parametersHash
            case .evalRunsTable: job.evalRunsTable
            case .leaseOwner: job.leaseOwner
            case .leaseExpiresAt: job.leaseExpiresAt.map { String($0) }
            }
        }
    }

    /// The job in `row`.
    private static func job(from result: PostgresResult, row: Int) throws -> BatchEvaluation {
        let row = PostgresRow<Column>(result: result, row: row)
        return try BatchEvaluationStoredJSON.job(
            id: row.string(.id), arn: row.string(.arn), name: row.string(.name),
            description: row.optionalString(.description), status: row.string(.status), evaluatorIDs: row.string(.evaluators),
            sessions: row.string(.sessions), dataSourceConfig: row.string(.dataSourceConfig), results: row.string(.results),
            errorDetails: row.string(.errorDetails), createdAt: row.int64(.createdAt), updatedAt: row.int64(.updatedAt),
            clientToken: row.optionalString(.clientToken), parametersHash: row.string(.parametersHash),
            evalRunsTable: row.string(.evalRunsTable), leaseOwner: row.optionalString(.leaseOwner),
            leaseExpiresAt: row.optionalInt64(.leaseExpiresAt)
        )
    }

    /// The state in row 0.
    private static func state(from result: PostgresResult, id: String) throws -> BatchEvaluationState {
        let row = PostgresRow<StateColumn>(result: result, row: 0)
        return BatchEvaluationState(
            status: try BatchEvaluationStoredJSON.status(row.string(.status), id: id),
            leaseOwner: row.optionalString(.leaseOwner),
            leaseExpiresAt: row.optionalInt64(.leaseExpiresAt),
            updatedAt: row.int64(.updatedAt)
        )
    }
}

extension PostgresBatchEvaluationStore {
    /// The SQL of the jobs table in one schema, built once; every value is a bound parameter.
    struct Statements: Sendable {
        let qualified: String
        let createTable: [String]
        let insert: String
        let selectByID: String
        let selectByToken: String
        let selectName: String
        let selectStatus: String
        let selectState: String
        let firstPage: String
        let nextPage: String
        let stop: String
        let delete: String
        let claim: String
        let progress: String
        let finish: String

        static let columns = Column.selectList
        static let stateColumns = StateColumn.selectList

        init(schema: String) {
            let table = PostgresBatchEvaluationStore.tableName
            let quotedSchema = PostgresIdentifier.quote(schema)
            let qualified = quotedSchema + "." + PostgresIdentifier.quote(table)
            self.qualified = qualified
            let terminal = Self.list(BatchEvaluationStatus.terminal)
            let runnable = Self.list(BatchEvaluationStatus.runnable)
            let columns = Self.columns
            createTable = [
                "CREATE SCHEMA IF NOT EXISTS \(quotedSchema)",
                """
                CREATE TABLE IF NOT EXISTS \(qualified) (
                    id VARCHAR COLLATE "C" NOT NULL PRIMARY KEY,
                    arn VARCHAR NOT NULL,
                    name VARCHAR COLLATE "C" NOT NULL UNIQUE,
                    description VARCHAR,
                    status VARCHAR NOT NULL,
                    evaluators JSON NOT NULL,
                    sessions JSON NOT NULL,
                    data_source_config JSON NOT NULL,
                    results JSON NOT NULL,
                    error_details JSON NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    client_token VARCHAR COLLATE "C" UNIQUE,
                    parameters_hash VARCHAR NOT NULL,
                    eval_runs_table VARCHAR NOT NULL,
                    lease_owner VARCHAR,
                    lease_expires_at BIGINT
                )
                """,
                "CREATE INDEX IF NOT EXISTS \(PostgresIdentifier.quote("idx_\(table)_created_at")) ON \(qualified) (created_at, id)",
                """
                CREATE INDEX IF NOT EXISTS \(PostgresIdentifier.quote("idx_\(table)_runnable")) ON \(qualified) (created_at, id) \
                WHERE status IN (\(runnable))
                """,
            ]
            insert = """
                INSERT INTO \(qualified) (\(columns)) \
                VALUES (\(Column.allCases.map { "$\($0.rawValue + 1)" }.joined(separator: ", "))) \
                ON CONFLICT DO NOTHING RETURNING id
                """
            selectByID = "SELECT \(columns) FROM \(qualified) WHERE id = $1"
            selectByToken = "SELECT \(columns) FROM \(qualified) WHERE client_token = $1"
            selectName = "SELECT 1 FROM \(qualified) WHERE name = $1"
            selectStatus = "SELECT status FROM \(qualified) WHERE id = $1"
            selectState = "SELECT \(Self.stateColumns) FROM \(qualified) WHERE id = $1"
            firstPage = "SELECT \(columns) FROM \(qualified) ORDER BY created_at DESC, id DESC LIMIT $1"
            nextPage = """
                SELECT \(columns) FROM \(qualified) WHERE (created_at, id) < ($1::bigint, $2::varchar COLLATE "C") \
                ORDER BY created_at DESC, id DESC LIMIT $3
                """
            stop = """
                UPDATE \(qualified) SET status = 'STOPPING', \
                updated_at = CASE WHEN status = 'STOPPING' THEN updated_at ELSE $1 END \
                WHERE id = $2 AND status IN (\(Self.list(BatchEvaluationStatus.stoppable))) RETURNING \(columns)
                """
            delete = "DELETE FROM \(qualified) WHERE id = $1 AND status IN (\(terminal)) RETURNING status, arn"
            claim = """
                UPDATE \(qualified) SET status = CASE WHEN status = 'PENDING' THEN 'IN_PROGRESS' ELSE status END, \
                lease_owner = $1, lease_expires_at = $2, updated_at = $3 \
                WHERE id = (SELECT id FROM \(qualified) WHERE status IN (\(runnable)) \
                AND (lease_owner IS NULL OR lease_expires_at <= $3) ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                RETURNING \(columns)
                """
            progress = """
                UPDATE \(qualified) SET results = $1, error_details = $2, lease_expires_at = $3, updated_at = $4 \
                WHERE id = $5 AND lease_owner = $6 AND status IN (\(runnable)) RETURNING \(Self.stateColumns)
                """
            finish = """
                UPDATE \(qualified) SET results = $1, error_details = $2, \
                status = CASE WHEN status = 'STOPPING' THEN 'STOPPED' ELSE $3 END, \
                lease_owner = NULL, lease_expires_at = NULL, updated_at = $4 \
                WHERE id = $5 AND lease_owner = $6 AND status IN (\(runnable)) RETURNING \(Self.stateColumns)
                """
        }

        /// Whether the jobs table exists, on `connection`.
        func tableExists(on connection: PostgresConnection) async throws -> Bool {
            !(try await connection.execute("SELECT to_regclass($1)", [qualified]).isNull(0, 0))
        }

        /// `'A', 'B'`: the statuses as SQL literals, sorted (they are the enum's fixed names).
        private static func list(_ statuses: Set<BatchEvaluationStatus>) -> String {
            statuses.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        }
    }
}
