import CSQLite
public import EvalGatewayCore

/// Batch-evaluation jobs in the SQLite file of a database, in table `evalgw_batch_evaluations`, beside
/// its eval runs: reads on the read connections, writes on the writer (in the same group commits).
///
/// Each write is one statement or one savepoint in the writer's transaction, so it is atomic even
/// against another process using the file: the conditional delete is a single
/// `DELETE … WHERE id = ? AND status IN (terminal…) RETURNING status, arn`.
public final class SQLiteBatchEvaluationStore: BatchEvaluationStore {
    private let database: SQLiteDatabase

    /// The jobs table's name.
    static let table = "evalgw_batch_evaluations"

    /// The DDL of the jobs table and its indexes (idempotent).
    static let createTable = """
        CREATE TABLE IF NOT EXISTS \(table) (
            id VARCHAR NOT NULL PRIMARY KEY,
            arn VARCHAR NOT NULL,
            name VARCHAR NOT NULL UNIQUE,
            description VARCHAR,
            status VARCHAR NOT NULL,
            evaluators JSON NOT NULL,
            sessions JSON NOT NULL,
            data_source_config JSON NOT NULL,
            results JSON NOT NULL,
            error_details JSON NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            client_token VARCHAR UNIQUE,
            parameters_hash VARCHAR NOT NULL,
            eval_runs_table VARCHAR NOT NULL,
            lease_owner VARCHAR,
            lease_expires_at BIGINT
        );
        CREATE INDEX IF NOT EXISTS idx_\(table)_created_at ON \(table) (created_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS idx_\(table)_status ON \(table) (status);
        """

    /// The columns of the jobs table, in the order statements select and insert them.
    typealias Column = BatchEvaluationTableColumn

    /// The columns a job's state is read from.
    typealias StateColumn = BatchEvaluationStateColumn

    private static let columns = Column.nameList
    private static let terminalList = BatchEvaluationStatus.terminal.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
    private static let runnableList = BatchEvaluationStatus.runnable.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")

    private static let insertSQL = """
        INSERT INTO \(table) (\(columns)) VALUES (\(Column.placeholders))
        """
    private static let selectByIDSQL = "SELECT \(columns) FROM \(table) WHERE id = ?"
    private static let selectByTokenSQL = "SELECT \(columns) FROM \(table) WHERE client_token = ?"
    private static let selectByNameSQL = "SELECT 1 FROM \(table) WHERE name = ?"
    private static let stateColumns = StateColumn.nameList
    private static let stateByIDSQL = "SELECT \(stateColumns) FROM \(table) WHERE id = ?"
    private static let statusByIDSQL = "SELECT status FROM \(table) WHERE id = ?"
    private static let firstPageSQL = "SELECT \(columns) FROM \(table) ORDER BY created_at DESC, id DESC LIMIT ?"
    private static let nextPageSQL = """
        SELECT \(columns) FROM \(table) WHERE created_at < ? OR (created_at = ? AND id < ?) \
        ORDER BY created_at DESC, id DESC LIMIT ?
        """
    private static let stopSQL = """
        UPDATE \(table) SET status = 'STOPPING', \
        updated_at = CASE WHEN status = 'STOPPING' THEN updated_at ELSE ? END \
        WHERE id = ? AND status IN ('PENDING', 'IN_PROGRESS', 'STOPPING') RETURNING \(columns)
        """
    private static let deleteSQL = "DELETE FROM \(table) WHERE id = ? AND status IN (\(terminalList)) RETURNING status, arn"
    private static let claimSQL = """
        UPDATE \(table) SET status = CASE WHEN status = 'PENDING' THEN 'IN_PROGRESS' ELSE status END, \
        lease_owner = ?, lease_expires_at = ?, updated_at = ? \
        WHERE id = (SELECT id FROM \(table) WHERE status IN (\(runnableList)) \
        AND (lease_owner IS NULL OR lease_expires_at <= ?) ORDER BY created_at, id LIMIT 1) \
        RETURNING \(columns)
        """
    private static let progressSQL = """
        UPDATE \(table) SET results = ?, error_details = ?, lease_expires_at = ?, updated_at = ? \
        WHERE id = ? AND lease_owner = ? AND status IN (\(runnableList)) RETURNING \(stateColumns)
        """
    private static let finishSQL = """
        UPDATE \(table) SET results = ?, error_details = ?, \
        status = CASE WHEN status = 'STOPPING' THEN 'STOPPED' ELSE ? END, \
        lease_owner = NULL, lease_expires_at = NULL, updated_at = ? \
        WHERE id = ? AND lease_owner = ? AND status IN (\(runnableList)) RETURNING \(stateColumns)
        """

    /// Uses `database`, whose writer creates the jobs table (``createTable``) when it opens.
    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func createBatchEvaluation(_ job: BatchEvaluation) async throws -> BatchEvaluationCreation {
        try StoredText.validate(job.description, field: "description")
        let values = try Self.values(of: job)
        return try await write { connection in
            if let token = job.clientToken {
                let byToken = try connection.cachedStatement(Self.selectByTokenSQL)
                try byToken.bind([.text(token)])
                if try byToken.step() {
                    let existing = try Self.job(from: byToken)
                    while try byToken.step() {}
                    guard existing.parametersHash == job.parametersHash else {
                        throw BatchEvaluationError.idempotentParameterMismatch(
                            "The client token '\(token)' was already used with different parameters"
                        )
                    }
                    return BatchEvaluationCreation(job: existing, created: false)
                }
            }
            let byName = try connection.cachedStatement(Self.selectByNameSQL)
            try byName.bind([.text(job.name)])
            let nameTaken = try byName.step()
            while try byName.step() {}
            if nameTaken { throw StorageError.conflict("A batch evaluation named '\(job.name)' already exists") }
            do {
                try connection.cachedStatement(Self.insertSQL).run(values)
            } catch let error as SQLiteError where error.primaryCode == SQLITE_CONSTRAINT {
                throw StorageError.conflict("A batch evaluation with id '\(job.id)' already exists")
            }
            return BatchEvaluationCreation(job: job, created: true)
        }
    }

    public func batchEvaluation(id: String) async throws -> BatchEvaluation? {
        try await read { connection in try Self.fetch(id: id, on: connection) }
    }

    public func batchEvaluationState(id: String) async throws -> BatchEvaluationState? {
        try await read { connection in
            let statement = try connection.cachedStatement(Self.stateByIDSQL)
            try statement.bind([.text(id)])
            guard try statement.step() else { return nil }
            let state = try Self.state(from: statement, id: id)
            while try statement.step() {}
            return state
        }
    }

    public func listBatchEvaluations(limit: Int, after cursor: BatchEvaluationCursor?) async throws -> BatchEvaluationPage {
        try await read { connection in
            let statement: SQLiteStatement
            if let cursor {
                statement = try connection.cachedStatement(Self.nextPageSQL)
                try statement.bind([.integer(cursor.createdAt), .integer(cursor.createdAt), .text(cursor.id), .integer(Int64(limit) + 1)])
            } else {
                statement = try connection.cachedStatement(Self.firstPageSQL)
                try statement.bind([.integer(Int64(limit) + 1)])
            }
            var jobs: [BatchEvaluation] = []
            while try statement.step() { jobs.append(try Self.job(from: statement)) }
            let more = jobs.count > limit
            if more { jobs.removeLast(jobs.count - limit) }
            return BatchEvaluationPage(jobs: jobs, next: more ? jobs.last?.cursor : nil)
        }
    }

    public func stopBatchEvaluation(id: String, at timestamp: Int64) async throws -> BatchEvaluation {
        try await write { connection in
            let statement = try connection.cachedStatement(Self.stopSQL)
            try statement.bind([.integer(timestamp), .text(id)])
            if try statement.step() {
                let job = try Self.job(from: statement)
                while try statement.step() {}
                return job
            }
            guard let status = try Self.status(id: id, on: connection) else {
                throw StorageError.notFound("Batch evaluation '\(id)' not found")
            }
            throw StorageError.conflict("Batch evaluation '\(id)' is already \(status) and cannot be stopped")
        }
    }

    public func deleteBatchEvaluation(id: String, audit: AuditRecord) async throws -> BatchEvaluationDeletion {
        try await write { connection in
            let statement = try connection.cachedStatement(Self.deleteSQL)
            try statement.bind([.text(id)])
            if try statement.step() {
                let status = try BatchEvaluationStoredJSON.status(statement.text(0), id: id)
                let arn = statement.text(1)
                while try statement.step() {}
                try SQLiteAuditTrail.insert(audit.deleting(1), on: connection)
                return BatchEvaluationDeletion(id: id, arn: arn, status: status)
            }
            guard let status = try Self.status(id: id, on: connection) else {
                throw StorageError.notFound("Batch evaluation '\(id)' not found")
            }
            throw StorageError.conflict("Batch evaluation '\(id)' is \(status), still running. Stop it first, then delete it")
        }
    }

    public func claimBatchEvaluation(owner: String, leaseExpiresAt: Int64, at timestamp: Int64) async throws -> BatchEvaluation? {
        try await write { connection in
            let statement = try connection.cachedStatement(Self.claimSQL)
            try statement.bind([.text(owner), .integer(leaseExpiresAt), .integer(timestamp), .integer(timestamp)])
            guard try statement.step() else { return nil }
            let job = try Self.job(from: statement)
            while try statement.step() {}
            return job
        }
    }

    public func updateBatchEvaluation(id: String, owner: String, _ update: BatchEvaluationUpdate, at timestamp: Int64) async throws -> BatchEvaluationState {
        let results = SQLiteValue.text(try BatchEvaluationStoredJSON.text(update.results))
        let errors = SQLiteValue.text(try BatchEvaluationStoredJSON.text(update.errorDetails))
        return try await write { connection in
            let statement: SQLiteStatement
            if let final = update.finalStatus {
                statement = try connection.cachedStatement(Self.finishSQL)
                try statement.bind([results, errors, .text(final.rawValue), .integer(timestamp), .text(id), .text(owner)])
            } else {
                statement = try connection.cachedStatement(Self.progressSQL)
                try statement.bind([results, errors, .integer(update.leaseExpiresAt), .integer(timestamp), .text(id), .text(owner)])
            }
            if try statement.step() {
                let state = try Self.state(from: statement, id: id)
                while try statement.step() {}
                return state
            }
            guard try Self.status(id: id, on: connection) != nil else {
                throw StorageError.notFound("Batch evaluation '\(id)' not found")
            }
            throw StorageError.conflict("Batch evaluation '\(id)' is not held by runner '\(owner)'")
        }
    }

    // MARK: - Helpers

    /// Runs `body` on a read connection, turning SQLite errors into storage errors.
    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as BatchEvaluationError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SQLiteEvalRunStore.storageError(error)
        }
    }

    /// Runs `body` on the writer in its own savepoint (all of it or none), turning SQLite errors into
    /// storage errors.
    private func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch let error as BatchEvaluationError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SQLiteEvalRunStore.storageError(error)
        }
    }

    private static func fetch(id: String, on connection: SQLiteConnection) throws -> BatchEvaluation? {
        let statement = try connection.cachedStatement(selectByIDSQL)
        try statement.bind([.text(id)])
        guard try statement.step() else { return nil }
        let job = try job(from: statement)
        while try statement.step() {}
        return job
    }

    private static func status(id: String, on connection: SQLiteConnection) throws -> String? {
        let statement = try connection.cachedStatement(statusByIDSQL)
        try statement.bind([.text(id)])
        guard try statement.step() else { return nil }
        let status = statement.text(0)
        while try statement.step() {}
        return status
    }

    /// The state in the statement's current row.
    private static func state(from statement: SQLiteStatement, id: String) throws -> BatchEvaluationState {
        let row = SQLiteRow<StateColumn>(statement: statement)
        let status = try BatchEvaluationStoredJSON.status(row.text(.status), id: id)
        return BatchEvaluationState(
            status: status, leaseOwner: row.optionalText(.leaseOwner), leaseExpiresAt: row.optionalInt64(.leaseExpiresAt), updatedAt: row.int64(.updatedAt)
        )
    }

    /// The job's values, in ``Column`` order.
    private static func values(of job: BatchEvaluation) throws -> [SQLiteValue] {
        try Column.allCases.map { column throws -> SQLiteValue in
            switch column {
            case .id: .text(job.id)
            case .arn: .text(job.arn)
            case .name: .text(job.name)
            case .description: job.description.map(SQLiteValue.text) ?? .null
            case .status: .text(job.status.rawValue)
            case .evaluators: .text(try BatchEvaluationStoredJSON.text(job.evaluatorIDs))
            case .sessions: .text(try BatchEvaluationStoredJSON.text(job.sessions))
            case .dataSourceConfig: .text(job.dataSourceConfig.jsonText)
            case .results: .text(try BatchEvaluationStoredJSON.text(job.results))
            case .errorDetails: .text(try BatchEvaluationStoredJSON.text(job.errorDetails))
            case .createdAt: .integer(job.createdAt)
            case .updatedAt: .integer(job.updatedAt)
            case .clientToken: job.clientToken.map(SQLiteValue.text) ?? .null
            case .parametersHash: .text(job.parametersHash)
            case .evalRunsTable: .text(job.evalRunsTable)
            case .leaseOwner: job.leaseOwner.map(SQLiteValue.text) ?? .null
            case .leaseExpiresAt: job.leaseExpiresAt.map(SQLiteValue.integer) ?? .null
            }
        }
    }

    /// The job in the statement's current row.
    private static func job(from statement: SQLiteStatement) throws -> BatchEvaluation {
        let row = SQLiteRow<Column>(statement: statement)
        return try BatchEvaluationStoredJSON.job(
            id: row.text(.id), arn: row.text(.arn), name: row.text(.name), description: row.optionalText(.description),
            status: row.text(.status), evaluatorIDs: row.text(.evaluators), sessions: row.text(.sessions),
            dataSourceConfig: row.text(.dataSourceConfig), results: row.text(.results), errorDetails: row.text(.errorDetails),
            createdAt: row.int64(.createdAt), updatedAt: row.int64(.updatedAt), clientToken: row.optionalText(.clientToken),
            parametersHash: row.text(.parametersHash), evalRunsTable: row.text(.evalRunsTable), leaseOwner: row.optionalText(.leaseOwner),
            leaseExpiresAt: row.optionalInt64(.leaseExpiresAt)
        )
    }
}
