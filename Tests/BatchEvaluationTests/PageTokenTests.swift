import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MemoryAdapter
import SQLiteAdapter
import Testing

/// `nextToken` across gateways: a token issued by one gateway is accepted by another instance over the
/// same database that holds the same cursor key, and refused (400 ValidationException) by one with
/// another key, for another database, or when forged, truncated, re-encoded or altered.
@Suite struct PageTokenTests {
    static let base = "/evaluations/batch-evaluate"

    /// Two registrations of one database as two gateway processes would hold it: the same store for the
    /// in-memory adapter, a second connection to the same file or schema for the others.
    static func sameDatabaseTwice(_ backend: Backend, id: String = "db") async throws -> (RegisteredDatabase, RegisteredDatabase) {
        let configuration = DatabaseConfiguration(id: id, adapter: backend.rawValue, tables: ["agno_eval_runs"])
        switch backend {
        case .memory:
            let store = MemoryEvalRunStore(tables: ["agno_eval_runs"])
            return (RegisteredDatabase(configuration: configuration, store: store), RegisteredDatabase(configuration: configuration, store: store))
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-cursor-\(UUID().uuidString).sqlite").path
            return (
                RegisteredDatabase(configuration: configuration, store: SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])),
                RegisteredDatabase(configuration: configuration, store: SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"]))
            )
        case .postgres:
            let schema = PostgresTestServer.uniqueSchema()
            return try await (
                RegisteredDatabase(configuration: configuration, store: PostgresTestServer.store(schema: schema, tables: ["agno_eval_runs"])),
                RegisteredDatabase(configuration: configuration, store: PostgresTestServer.store(schema: schema, tables: ["agno_eval_runs"]))
            )
        }
    }

    /// Runs `body` with a client of a gateway over `databases` whose cursor key is `key`.
    static func gateway<T: Sendable>(_ databases: [RegisteredDatabase], key: [UInt8], _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let services = GatewayServices(catalog: DatabaseCatalog(databases: databases), cursors: CursorAuthenticator(key: key), logger: Logger(label: "test"))
        return try await Application(router: buildGatewayRouter(services: services)).test(.router, body)
    }

    static func key(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

    static func page(_ client: any TestClientProtocol, db: String = "db", token: String?) async throws -> TestResponse {
        var query = "db_id=\(db)&maxResults=2"
        if let token { query += "&nextToken=" + token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        return try await client.send(.get, "\(base)?\(query)")
    }

    @Test(arguments: Backend.available)
    func aTokenFromAnotherInstanceWithTheSameKeyIsAcceptedAndNoOtherIs(_ backend: Backend) async throws {
        let (first, second) = try await Self.sameDatabaseTwice(backend)
        let other = try await backend.database(id: "other")
        let (token, firstPage) = try await Self.gateway([first, other], key: Self.key(7)) { client in
            for index in 0..<5 { _ = try await client.startJob("cursor\(index)", query: "?db_id=db") }
            for index in 0..<3 { _ = try await client.startJob("elsewhere\(index)", query: "?db_id=other") }
            let page = try await Self.page(client, token: nil)
            let ids = (page.object["batchEvaluations"] as? [[String: Any]] ?? []).compactMap { $0["batchEvaluationId"] as? String }
            let token = try #require(page.object["nextToken"] as? String)
            // The same key, but another database of the same gateway.
            let elsewhere = try await Self.page(client, db: "other", token: token)
            #expect(elsewhere.status == .badRequest)
            #expect(elsewhere.awsErrorType == "ValidationException")
            return (token, ids)
        }
        #expect(firstPage.count == 2)

        try await Self.gateway([second], key: Self.key(7)) { client in
            let next = try await Self.page(client, token: token)
            #expect(next.status == .ok, "another instance with the same key refused the token: \(String(buffer: next.body))")
            let ids = (next.object["batchEvaluations"] as? [[String: Any]] ?? []).compactMap { $0["batchEvaluationId"] as? String }
            #expect(ids.count == 2)
            #expect(Set(ids).isDisjoint(with: firstPage))
        }
        try await Self.gateway([second], key: Self.key(8)) { client in
            let refused = try await Self.page(client, token: token)
            #expect(refused.status == .badRequest)
            #expect(refused.awsErrorType == "ValidationException")
            #expect((refused.object["fieldList"] as? [[String: Any]])?.first?["name"] as? String == "nextToken")
        }
    }

    @Test func forgedTruncatedReencodedAndAlteredTokensAreRefused() async throws {
        let (database, _) = try await Self.sameDatabaseTwice(.memory)
        try await Self.gateway([database], key: Self.key(9)) { client in
            for index in 0..<5 { _ = try await client.startJob("forge\(index)", query: "?db_id=db") }
            let genuine = try #require(try await Self.page(client, token: nil).object["nextToken"] as? String)
            #expect(try await Self.page(client, token: genuine).status == .ok)

            // The unkeyed token of earlier versions, as a client could compute it (issue 14's example).
            let unkeyed = "v1\n9223372036854775807\nzzzz\n"
            var forged = [Data(unkeyed.utf8).base64EncodedString(), "djEKMTAwMAp4LWFhYWFhYWFhYWEKMTIz", "", ".", "a.b", genuine + "." + genuine]
            forged += [String(genuine.dropLast()), String(genuine.dropLast(5)), String(genuine.prefix(genuine.count / 2)), String(genuine.dropFirst())]
            forged += [genuine + "=", genuine + "==", genuine.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"), " \(genuine)", genuine.uppercased()]
            for index in genuine.indices where genuine[index] != "." {
                var altered = genuine
                altered.replaceSubrange(index...index, with: genuine[index] == "A" ? "B" : "A")
                forged.append(altered)
            }
            for token in Set(forged) where token != genuine && !token.isEmpty {
                let response = try await Self.page(client, token: token)
                #expect(response.status == .badRequest, "accepted a forged token \(token)")
                #expect(response.awsErrorType == "ValidationException")
            }
        }
    }
}
