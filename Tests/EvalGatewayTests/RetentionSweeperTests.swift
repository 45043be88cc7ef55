import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The retention sweeper as the gateway assembles it, on a manual clock and a wall clock the test sets:
/// only databases with a policy, only rows past it, in batches with one audit record each; every
/// interval; a database that is down is retried next interval, logged once per interval, and keeps its
/// metrics.
@Suite struct RetentionSweeperTests {
    /// 2025-01-01T00:00:00Z.
    static let today: Int64 = 1_735_689_600

    /// A gateway over an SQLite database `kept` (30 days), a memory one `forever` (no policy) and
    /// `extra` YAML entries, with metrics.
    static func gateway(extra: String = "") async throws -> GatewayServer {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-retention-\(UUID().uuidString).sqlite").path
        let yaml = """
            registry: { adapter: memory }
            databases:
              - { id: kept, adapter: sqlite, path: "\(path)", retention: { max_age_days: 30 } }
              - { id: forever, adapter: memory }
            \(extra)
            metrics: { enabled: true }
            batch: { enabled: false }
            """
        let configuration = try GatewayConfiguration.parse(yaml: yaml, registry: .builtIn, environment: [:])
        return try await GatewayServer(configuration: configuration, registry: .builtIn, logger: Logger(label: "test"))
    }

    /// A sweeper over the gateway's databases and registry store, on `clock` and the wall time `now`.
    static func sweeper(_ server: GatewayServer, clock: ManualClock, now: Wall, logger: Logger = Logger(label: "test"), owner: String = "test") -> RetentionSweeper {
        RetentionSweeper(
            catalog: server.services.catalog,
            leases: server.registry.registryStore,
            configuration: RetentionSweeper.Configuration(interval: .seconds(60), batchRows: 3, ownerID: owner),
            metricsFactory: server.services.metrics?.factory,
            logger: logger,
            clock: AnyClock(clock),
            now: { now.milliseconds }
        )
    }

    /// Creates runs `prefix-0…` in `db`, `days` old.
    static func seed(_ client: some TestClientProtocol, _ db: String, _ prefix: String, count: Int, daysOld days: Int64) async throws {
        for index in 0..<count {
            let created = Timestamp.iso8601(today - days * 86_400 + Int64(index))
            let response = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"id":"\#(prefix)-\#(index)","eval_type":"accuracy","eval_data":{},"created_at":"\#(created)"}"#)
            #expect(response.status == .created)
        }
    }

    static func ids(_ client: some TestClientProtocol, _ db: String) async throws -> [String] {
        let response = try await client.send(.get, "/eval-runs?db_id=\(db)&limit=100")
        return ((response.object["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test func onlyRowsPastTheirDatabasesPolicyGoInBatchesEachAudited() async throws {
        let server = try await Self.gateway()
        let now = Wall(Self.today)
        let sweeper = Self.sweeper(server, clock: ManualClock(), now: now)
        try await Application(router: buildGatewayRouter(services: server.services)).test(.router) { client in
            try await Self.seed(client, "kept", "old", count: 5, daysOld: 31)
            try await Self.seed(client, "kept", "new", count: 2, daysOld: 29)
            try await Self.seed(client, "forever", "old", count: 2, daysOld: 400)
            let outcomes = await sweeper.sweep()
            #expect(outcomes == [RetentionSweeper.Outcome(databaseID: "kept", result: .swept(deleted: 5))])
            #expect(try await Self.ids(client, "kept") == ["new-0", "new-1"])
            #expect(try await Self.ids(client, "forever") == ["old-0", "old-1"])

            let audit = try await client.send(.get, "/admin/audit?kind=retention")
            let records = audit.object["data"] as? [[String: Any]] ?? []
            #expect(records.map { $0["deleted"] as? Int ?? -1 }.sorted() == [2, 3], "batches of 3")
            #expect(records.allSatisfy { $0["principal"] as? String == "retention" && $0["db_id"] as? String == "kept" })
            #expect(Set(records.compactMap { $0["request_id"] as? String }).count == 1, "one sweep, one id")
            #expect(records.allSatisfy { ($0["filter"] as? [String: String]) == ["created_before": "2024-12-02T00:00:00Z"] })

            let metrics = String(buffer: try await client.send(.get, "/metrics").body)
            #expect(metrics.contains(#"evalgw_retention_rows_deleted_total{db_id="kept"} 5"#), "\(metrics.split(separator: "\n").filter { $0.contains("retention") })")
            #expect(metrics.contains(#"evalgw_retention_last_run_timestamp_seconds{db_id="kept"} 1735689600"#))
            #expect(!metrics.contains(#"evalgw_retention_rows_deleted_total{db_id="forever""#), "a database without a policy has retention series")
        }
    }

    @Test func itSweepsEveryIntervalOfItsClock() async throws {
        let server = try await Self.gateway()
        let now = Wall(Self.today)
        let clock = ManualClock()
        let sweeper = Self.sweeper(server, clock: clock, now: now)
        try await Application(router: buildGatewayRouter(services: server.services)).test(.router) { client in
            try await Self.seed(client, "kept", "a", count: 2, daysOld: 40)
            let running = Task { await sweeper.run() }
            // The first sweep runs at once; then the sweeper sleeps until the next interval.
            await clock.waitForSleepers(1)
            #expect(try await Self.ids(client, "kept").isEmpty)
            try await Self.seed(client, "kept", "b", count: 3, daysOld: 29)
            // A day later the rows of 29 days are 30 days old and a few seconds: past the policy.
            now.advance(seconds: 86_400 + 60)
            clock.advance(by: .seconds(59))
            #expect(try await Self.ids(client, "kept").count == 3, "swept before the interval")
            clock.advance(by: .seconds(1))
            await clock.waitForSleepers(1)
            #expect(try await Self.ids(client, "kept").isEmpty)
            running.cancel()
            await running.value
            let records = try await client.send(.get, "/admin/audit?kind=retention").object["data"] as? [[String: Any]] ?? []
            #expect(records.map { $0["deleted"] as? Int } == [3, 2], "one record per batch, newest first")
        }
    }

    @Test func aDownDatabaseIsRetriedEachIntervalLoggedOnceAndKeepsItsMetrics() async throws {
        let server = try await Self.gateway(extra: """
              - { id: down, adapter: postgres, url: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=1", retention: { max_age_days: 1 } }
            """)
        let now = Wall(Self.today)
        let logs = CollectedLogs()
        let logger = Logger(label: "retention") { _ in CollectingLogHandler(logs: logs) }
        let sweeper = Self.sweeper(server, clock: ManualClock(), now: now, logger: logger)
        try await Application(router: buildGatewayRouter(services: server.services)).test(.router) { client in
            try await Self.seed(client, "kept", "old", count: 1, daysOld: 90)
            for pass in 1...2 {
                let outcomes = await sweeper.sweep()
                #expect(outcomes.first { $0.databaseID == "down" }?.result == .failed(deleted: 0))
                #expect(outcomes.first { $0.databaseID == "kept" }?.result == .swept(deleted: pass == 1 ? 1 : 0))
                let warnings = logs.messages.filter { $0.level == .warning && $0.metadata["db_id"] == "down" }
                #expect(warnings.count == pass, "one warning per pass for the database that is down: \(warnings.map(\.message))")
                now.advance(seconds: 60)
            }
            let metrics = String(buffer: try await client.send(.get, "/metrics").body)
            let retentionSeries = metrics.split(separator: "\n").filter { $0.hasPrefix("evalgw_retention_") }
            #expect(!retentionSeries.contains { $0.contains(#"db_id="down""#) }, "the database that is down has retention series: \(retentionSeries)")
            #expect(metrics.contains(#"evalgw_retention_rows_deleted_total{db_id="kept"} 1"#))
        }
    }
}

/// A wall clock the test moves, epoch seconds.
final class Wall: Sendable {
    private let seconds: Mutex<Int64>
    init(_ seconds: Int64) { self.seconds = Mutex(seconds) }
    var milliseconds: Int64 { seconds.withLock { $0 } * 1000 }
    func advance(seconds delta: Int64) { seconds.withLock { $0 += delta } }
}

/// Log lines collected for a test.
final class CollectedLogs: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])
    var messages: [Line] { lines.withLock { $0 } }
    func append(_ line: Line) { lines.withLock { $0.append(line) } }
}

/// A log handler that keeps every line in a ``CollectedLogs``.
struct CollectingLogHandler: LogHandler {
    let logs: CollectedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
