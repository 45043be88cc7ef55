import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MemoryAdapter
import PostgresAdapter
import Testing

/// `evalgw eval-runs delete --db-id '*' --user-id U [--dry-run]` and `evalgw audit list` against a live
/// gateway: results per database, and a non-zero exit when any database failed.
@Suite struct CrossTenantCommandTests {
    /// Runs `body` with the endpoint of a live gateway over memory databases `a` and `b` (each with three
    /// runs of `u-1` and one of `u-2`) and, with `withDownDatabase`, a Postgres database `down` whose server
    /// is a closed loopback port.
    func withGateway(withDownDatabase: Bool = false, _ body: @escaping @Sendable (_ endpoint: [String]) async throws -> Void) async throws {
        let tables = ["agno_eval_runs"]
        var databases = ["a", "b"].map { id in
            RegisteredDatabase(configuration: DatabaseConfiguration(id: id, adapter: "memory", tables: tables), store: MemoryEvalRunStore(tables: tables))
        }
        for database in databases {
            for index in 0..<4 {
                var run = EvalRun(id: "\(database.id)-\(index)", evalType: .accuracy, createdAt: 1_700_000_000 + Int64(index))
                run.userID = index < 3 ? "u-1" : "u-2"
                _ = try await database.store.createEvalRun(run, in: "agno_eval_runs")
            }
        }
        if withDownDatabase {
            let configuration = DatabaseConfiguration(id: "down", adapter: "postgres", options: AdapterOptions(["url": .string("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1")]))
            databases.append(RegisteredDatabase(configuration: configuration, store: try await PostgresAdapter().makeStore(for: configuration, logger: Logger(label: "test"))))
        }
        let services = GatewayServices(
            catalog: DatabaseCatalog(databases: databases, tokens: [RegisteredToken(token: AccessToken(name: "dpo", secret: "cli-token", scopes: [.admin], databases: ["*"]))]),
            logger: Logger(label: "test")
        )
        let app = Application(router: buildGatewayRouter(services: services), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(["--endpoint", "http://localhost:\(port)", "--token", "cli-token"])
        }
    }

    @Test func anErasureOverEveryDatabasePrintsEachOnesResult() async throws {
        try await withGateway { endpoint in
            let dry = await CommandRun.evalgw(["eval-runs", "delete", "--db-id", "*", "--user-id", "u-1", "--dry-run"] + endpoint)
            #expect(dry.exitCode == 0, "\(dry.errorText)")
            #expect(dry.lines == ["a\twould delete 3", "b\twould delete 3", "Would delete 6 eval runs in 2 of 2 databases"])

            let erased = await CommandRun.evalgw(["eval-runs", "delete", "--db-id", "*", "--user-id", "u-1", "--created-before", "2030-01-01T00:00:00Z"] + endpoint)
            #expect(erased.exitCode == 0, "\(erased.errorText)")
            #expect(erased.lines == ["a\tdeleted 3", "b\tdeleted 3", "Deleted 6 eval runs in 2 of 2 databases"])

            let again = await CommandRun.evalgw(["eval-runs", "delete", "--db-id", "a,b", "--user-id", "u-1", "--json"] + endpoint)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
            #expect(object["success"] as? Bool == true)
            #expect(object["deleted"] as? Int == 0)
            #expect((object["databases"] as? [String: [String: Int]]) == ["a": ["deleted": 0], "b": ["deleted": 0]])

            let trail = await CommandRun.evalgw(["audit", "list"] + endpoint)
            #expect(trail.exitCode == 0, "\(trail.errorText)")
            #expect(trail.lines.count == 5)
            #expect(trail.lines.last == "page 1 of 1, 4 records in all")
            #expect(trail.lines.dropLast().allSatisfy { $0.contains("\tfilter\tdpo\t") }, "\(trail.lines)")
            let deleted = trail.lines.dropLast().compactMap { $0.split(separator: "\t").first { $0.hasPrefix("deleted=") } }.sorted()
            #expect(deleted == ["deleted=0", "deleted=0", "deleted=3", "deleted=3"])

            let trailJSON = await CommandRun.evalgw(["audit", "list", "--db-id", "a", "--kind", "filter", "--json"] + endpoint)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(trailJSON.output.utf8)) as? [String: Any])
            #expect(page["success"] as? Bool == true)
            #expect((page["data"] as? [[String: Any]])?.map { $0["deleted"] as? Int } == [0, 3])

            let refused = await CommandRun.evalgw(["audit", "list", "--kind", "all"] + endpoint)
            #expect(refused.exitCode == 1)
            #expect(refused.errorText.contains("kind"), "\(refused.errorText)")
        }
    }

    @Test func aDatabaseThatFailsMakesTheExitStatusNonZero() async throws {
        try await withGateway(withDownDatabase: true) { endpoint in
            let run = await CommandRun.evalgw(["eval-runs", "delete", "--db-id", "*", "--user-id", "u-1"] + endpoint)
            #expect(run.exitCode == 1)
            #expect(run.lines == [
                "a\tdeleted 3", "b\tdeleted 3", "down\tFAILED BACKEND_UNAVAILABLE: The database is unavailable; retry later",
                "Deleted 6 eval runs in 2 of 3 databases; 1 failed (run it again to finish: deletes are idempotent)",
            ])

            let byIDs = await CommandRun.evalgw(["eval-runs", "delete", "a-3", "b-3", "--db-id", "*", "--json"] + endpoint)
            #expect(byIDs.exitCode == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(byIDs.output.utf8)) as? [String: Any])
            #expect(object["success"] as? Bool == false)
            #expect(object["deleted"] as? Int == 2)
            let databases = object["databases"] as? [String: [String: Any]] ?? [:]
            #expect(databases["a"]?["deleted"] as? Int == 1 && databases["b"]?["deleted"] as? Int == 1)
            #expect((databases["down"]?["error"] as? String)?.hasPrefix("BACKEND_UNAVAILABLE") == true)

            let trail = await CommandRun.evalgw(["audit", "list"] + endpoint)
            #expect(trail.exitCode == 1, "a database whose trail cannot be read")
            #expect(trail.errorText.contains("down: BACKEND_UNAVAILABLE"), "\(trail.errorText)")
            #expect(trail.lines.last == "page 1 of 1, 4 records in all")
        }
    }
}
