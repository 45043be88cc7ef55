import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Two gateways on one Postgres registry (CI's cluster), both sweeping the same five databases (three
/// Postgres schemas, two SQLite files) at the same moments: each database is swept by exactly one of
/// them — one retention record per database and sweep, never two — and when the gateway that holds a
/// database's lease stops, the other takes it over once the lease has run out.
@Suite(.serialized) struct RetentionFleetTests {
    static let url = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let today: Int64 = 1_735_689_600

    @Test(.enabled(if: url != nil, "EVALGW_TEST_POSTGRES_URL is not set"))
    func eachDatabaseIsSweptByExactlyOneGateway() async throws {
        let url = try #require(Self.url)
        let suffix = String(UInt32.random(in: 0 ... .max), radix: 36)
        let registrySchema = "evalgw_sweep_registry_\(suffix)"
        let schemas = (0..<3).map { "evalgw_sweep_\(suffix)_\($0)" }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-sweep-\(suffix)").path
        var databases = schemas.enumerated().map { index, schema in
            #"  - { id: pg-\#(index), adapter: postgres, url: "\#(url)", schema: \#(schema), retention: { max_age_days: 30 } }"#
        }
        databases += (0..<2).map { index in #"  - { id: lite-\#(index), adapter: sqlite, path: "\#(folder)/\#(index).sqlite", retention: { max_age_days: 30 } }"# }
        let yaml = """
            registry: { adapter: postgres, url: "\(url)", schema: \(registrySchema) }
            databases:
            \(databases.joined(separator: "\n"))
            auth:
              tokens:
                - { name: admin, token: retention-admin-token, scopes: [admin] }
            batch: { enabled: false }
            """
        let configuration = try GatewayConfiguration.parse(yaml: yaml, registry: .builtIn, environment: [:])
        let first = try await GatewayServer(configuration: configuration, registry: .builtIn, logger: Logger(label: "first"))
        let second = try await GatewayServer(configuration: configuration, registry: .builtIn, logger: Logger(label: "second"))
        let ids = (0..<3).map { "pg-\($0)" } + (0..<2).map { "lite-\($0)" }
        let wall = Wall(Self.today)
        func sweeper(_ server: GatewayServer, owner: String) -> RetentionSweeper {
            RetentionSweeper(
                catalog: server.services.catalog, leases: server.registry.registryStore,
                configuration: RetentionSweeper.Configuration(interval: .seconds(3600), batchRows: 100, ownerID: owner),
                logger: Logger(label: owner), clock: AnyClock(ManualClock()), now: { wall.milliseconds }
            )
        }
        let sweepers = [sweeper(first, owner: "gateway-1"), sweeper(second, owner: "gateway-2")]
        let asAdmin: HTTPFields = [.authorization: "Bearer retention-admin-token"]

        do {
            try await Application(router: buildGatewayRouter(services: first.services)).test(.router) { client in
                for id in ids {
                    for index in 0..<4 {
                        let created = Timestamp.iso8601(Self.today - (index < 3 ? 40 : 10) * 86_400)
                        let response = try await client.send(.post, "/eval-runs?db_id=\(id)", json: #"{"id":"r-\#(index)","eval_type":"accuracy","eval_data":{},"created_at":"\#(created)"}"#, headers: asAdmin)
                        #expect(response.status == .created)
                    }
                }

                /// Both gateways sweep at once; returns, per database, the gateways that swept it.
                func sweepBoth(_ which: [Int] = [0, 1]) async -> [String: [Int]] {
                    let passes = await withTaskGroup(of: (Int, [RetentionSweeper.Outcome]).self) { group in
                        for index in which { group.addTask { (index, await sweepers[index].sweep()) } }
                        return await group.reduce(into: [(Int, [RetentionSweeper.Outcome])]()) { $0.append($1) }
                    }
                    var swept: [String: [Int]] = [:]
                    for (gateway, outcomes) in passes {
                        for outcome in outcomes {
                            if case .swept = outcome.result { swept[outcome.databaseID, default: []].append(gateway) }
                            if case .failed = outcome.result { Issue.record("gateway \(gateway) failed to sweep \(outcome.databaseID)") }
                        }
                    }
                    return swept
                }
                func retentionRecords() async throws -> [String: [Int]] {
                    let response = try await client.send(.get, "/admin/audit?kind=retention&limit=1000", headers: asAdmin)
                    var records: [String: [Int]] = [:]
                    for record in response.object["data"] as? [[String: Any]] ?? [] {
                        records[record["db_id"] as? String ?? "", default: []].append(record["deleted"] as? Int ?? -1)
                    }
                    return records
                }

                // First interval: each database is swept by one gateway, and its three expired rows go once.
                let firstPass = await sweepBoth()
                #expect(Set(firstPass.keys) == Set(ids))
                #expect(firstPass.values.allSatisfy { $0.count == 1 }, "a database swept by two gateways: \(firstPass)")
                #expect(try await retentionRecords() == Dictionary(uniqueKeysWithValues: ids.map { ($0, [3]) }))

                // Later in the same interval, both try again: the lease holders renew, nobody else sweeps.
                wall.advance(seconds: 600)
                let again = await sweepBoth()
                #expect(again.values.allSatisfy { $0.count == 1 })
                #expect(ids.allSatisfy { again[$0] == firstPass[$0] }, "the holder of each lease keeps it: \(firstPass) then \(again)")
                #expect(try await retentionRecords().mapValues(\.count) == Dictionary(uniqueKeysWithValues: ids.map { ($0, 2) }), "one record per database and sweep")

                // The first gateway stops sweeping: once its leases run out, the second sweeps everything.
                wall.advance(seconds: 3599)
                let early = await sweepBoth([1])
                #expect(Set(early.keys) == Set(ids.filter { firstPass[$0] == [1] }), "the second gateway took a lease before it ran out")
                wall.advance(seconds: 2)
                let takeover = await sweepBoth([1])
                #expect(Set(takeover.keys) == Set(ids))
                for id in ids {
                    let list = try await client.send(.get, "/eval-runs?db_id=\(id)", headers: asAdmin)
                    #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == 1, "rows left in \(id)")
                }
            }
        } catch {
            await Self.cleanUp([first, second], schemas: schemas + [registrySchema], folder: folder)
            throw error
        }
        await Self.cleanUp([first, second], schemas: schemas + [registrySchema], folder: folder)
    }

    static func cleanUp(_ servers: [GatewayServer], schemas: [String], folder: String) async {
        for server in servers {
            await server.services.catalog.shutdown()
            await server.registry.close()
        }
        for schema in schemas { try? await FleetTests.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
