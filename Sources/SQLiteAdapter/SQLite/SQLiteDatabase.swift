import EvalGatewayCore
import Foundation
import Synchronization

/// One SQLite file as the stores use it: one writer connection with group commit
/// (``SQLiteWriteBatcher``), and a pool of read-only connections beside it — in WAL mode a reader
/// sees the last commit and never waits for the writer, so a list does not wait behind a commit's fsync.
///
/// Nothing is opened when it is made: the first operation opens the writer (creating the folder, the
/// file, WAL mode and the tables), reads open read connections as they need them, and every
/// connection unused for the idle timeout is closed (the writer runs `PRAGMA optimize` first).
package final class SQLiteDatabase: Sendable {
    private let writer: ConnectionPool<SQLiteConnectionQueue>
    private let readers: ConnectionPool<SQLiteConnectionQueue>
    private let writes: SQLiteWriteBatcher
    private let statementTimeout: Duration?
    /// Whether the writer has opened the file and created the tables once (readers need both).
    private let created: Created

    /// A database over `settings.path`; `schema` is the DDL run (idempotently) each time the writer opens.
    init(settings: SQLiteStoreSettings, schema: [String], clock: AnyClock, budget: any ConnectionBudget) {
        let path = settings.path
        let busyTimeout = Int32(clamping: settings.busyTimeoutMilliseconds)
        let idleTimeout = Duration.seconds(settings.idleTimeoutSeconds)
        let waitTimeout = Duration.milliseconds(settings.poolTimeoutMilliseconds)
        statementTimeout = settings.statementTimeoutMilliseconds > 0 ? .milliseconds(settings.statementTimeoutMilliseconds) : nil
        let close: @Sendable (SQLiteConnectionQueue) async -> Void = { await $0.close() }
        let created = Created()
        self.created = created
        writer = ConnectionPool(
            label: "SQLite \(path) writer",
            configuration: .init(maxConnections: 1, idleTimeout: idleTimeout, waitTimeout: max(waitTimeout, .seconds(30))),
            clock: clock,
            budget: budget,
            open: {
                let queue = try await SQLiteConnectionQueue.open(
                    label: "evalgw.sqlite.writer", path: path, readOnly: false,
                    prepare: {
                        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    },
                    setup: { connection in
                        connection.setBusyTimeout(milliseconds: busyTimeout)
                        try connection.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
                        // One transaction, so one fsync, for all the tables and indexes.
                        try connection.inTransaction(.immediate) {
                            for statement in schema { try connection.execute(statement) }
                        }
                    }
                )
                created.mark()
                return queue
            },
            close: { queue in
                queue.submit { connection in try? connection.execute("PRAGMA optimize") }
                await queue.close()
            }
        )
        readers = ConnectionPool(
            label: "SQLite \(path) readers",
            configuration: .init(maxConnections: max(1, settings.readConnections), idleTimeout: idleTimeout, waitTimeout: waitTimeout),
            clock: clock,
            budget: budget,
            open: {
                try await SQLiteConnectionQueue.open(label: "evalgw.sqlite.reader", path: path, readOnly: true) { connection in
                    connection.setBusyTimeout(milliseconds: busyTimeout)
                }
            },
            close: close
        )
        writes = SQLiteWriteBatcher(writer: writer)
    }

    /// Runs `body` on a read connection (opened if needed), interrupted when its caller goes away or
    /// after the statement timeout. It sees the last commit.
    package func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if !created.isMarked {
            // The file and its tables come from the writer; open it once before the first read.
            let lease = try await writer.lease()
            writer.release(lease, reusable: true)
        }
        let lease = try await readers.lease()
        defer { readers.release(lease, reusable: true) }
        return try await lease.connection.run(timeout: statementTimeout, body)
    }

    /// Runs `body` on the writer, in its own savepoint inside the next group commit, and returns once that
    /// commit is done.
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writes.write(body)
    }

    /// The connections of both pools: in use (or opening), idle, and operations waiting.
    package var statistics: PoolStatistics {
        let (writer, readers) = (writer.statistics, readers.statistics)
        return PoolStatistics(inUse: writer.inUse + readers.inUse, idle: writer.idle + readers.idle, waiting: writer.waiting + readers.waiting)
    }

    /// The writer's and the readers' connections, apart.
    package var writerStatistics: PoolStatistics { writer.statistics }
    /// See ``writerStatistics``.
    package var readerStatistics: PoolStatistics { readers.statistics }

    /// Waits until the writer's and then the readers' connections satisfy the predicates (for tests).
    package func waitUntil(writer writerCondition: @escaping @Sendable (PoolStatistics) -> Bool, readers readersCondition: @escaping @Sendable (PoolStatistics) -> Bool) async {
        await writer.waitUntil(writerCondition)
        await readers.waitUntil(readersCondition)
    }

    /// Closes every connection, after the work already queued.
    package func shutdown() async {
        await readers.shutdown()
        await writer.shutdown()
    }
}

/// Whether the writer has created the file and its tables.
private final class Created: Sendable {
    private let flag = Atomic<Bool>(false)
    func mark() { flag.store(true, ordering: .releasing) }
    var isMarked: Bool { flag.load(ordering: .acquiring) }
}
