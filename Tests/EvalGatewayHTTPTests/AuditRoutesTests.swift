import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// The audit trail through the HTTP surfaces: every kind of delete is recorded with the caller's
/// principal and request id, and `GET /admin/audit` reads it newest first, filtered, paged, over one
/// database or several.
@Suite struct AuditRoutesTests {
    static let admin = AccessToken(name: "ops-admin", secret: "admin-token", scopes: [.admin], databases: ["*"])
    static let deleter = AccessToken(name: "eraser", secret: "eraser-token", scopes: [.read, .write, .delete], databases: ["*"])
    static let asAdmin: HTTPFields = [.authorization: "Bearer admin-token"]
    static let asDeleter: HTTPFields = [.authorization: "Bearer eraser-token"]

    static func records(_ client: some TestClientProtocol, _ query: String = "") async throws -> [[String: Any]] {
        let response = try await client.send(.get, "/admin/audit?limit=1000\(query)", headers: asAdmin)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return response.object["data"] as? [[String: Any]] ?? []
    }

    @Test(arguments: ["local", "scratch"])
    func aDeleteByIDsIsRecordedWithThePrincipalTheRequestAndTheDigest(_ db: String) async throws {
        try await TestGateway.make(tokens: [Self.admin, Self.deleter]).test { client in
            for id in ["a", "b"] { try await client.createRun(id, db: db, headers: Self.asDeleter) }
            let response = try await client.send(
                .delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["b","a","zz","a"]}"#, headers: Self.asDeleter.merging([.xRequestID: "erase-42"])
            )
            #expect(response.status == .noContent)
            let records = try await Self.records(client, "&db_id=\(db)")
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record["principal"] as? String == "eraser")
            #expect(record["request_id"] as? String == "erase-42")
            #expect(record["db_id"] as? String == db)
            #expect(record["table"] as? String == "agno_eval_runs")
            #expect(record["kind"] as? String == "ids")
            #expect(record["ids_count"] as? Int == 3)
            #expect(record["ids_sha256"] as? String == AuditDigest(["a", "b", "zz"]).sha256)
            #expect(record["deleted"] as? Int == 2)
            #expect(record["filter"] is NSNull)
            #expect(record["ids"] == nil, "ids kept without audit.include_ids")
            // The digest standard tools give: printf '%s\0' b a zz a | LC_ALL=C sort -zu | sha256sum.
            #expect(record["ids_sha256"] as? String == "eeba7351cf92f129b36fe8ddf9fbf37b904e39547925946650e9a3088e8ac90b")
        }
    }

    @Test func aFilterDeleteWritesOneRecordPerBatchAndIncludeIDsKeepsTheIDs() async throws {
        let settings = DataOperationSettings(filterBatchRows: 2, auditIncludesIDs: true)
        try await TestGateway.make(tokens: [Self.admin], dataOperations: settings).test { client in
            for index in 0..<5 { try await client.createRun("u1-\(index)", db: "local", extra: #","user_id":"u-1""#, headers: Self.asAdmin) }
            try await client.createRun("other", db: "local", extra: #","user_id":"u-2""#, headers: Self.asAdmin)
            let response = try await client.send(.delete, "/eval-runs?db_id=local", json: #"{"filter":{"user_id":"u-1"}}"#, headers: Self.asAdmin)
            #expect(response.headers[.xDeletedCount] == "5")
            let records = try await Self.records(client, "&kind=filter")
            #expect(records.map { $0["deleted"] as? Int }.compactMap { $0 }.sorted() == [1, 2, 2])
            #expect(records.allSatisfy { ($0["filter"] as? [String: String]) == ["user_id": "u-1"] })
            #expect(records.allSatisfy { $0["principal"] as? String == "ops-admin" && $0["request_id"] as? String == response.headers[.xRequestID] })
            let ids = records.flatMap { $0["ids"] as? [String] ?? [] }
            #expect(ids.sorted() == (0..<5).map { "u1-\($0)" })
            for record in records {
                let kept = record["ids"] as? [String] ?? []
                #expect(record["ids_count"] as? Int == kept.count)
                #expect(record["ids_sha256"] as? String == AuditDigest(kept).sha256)
            }
        }
    }

    @Test func anOpenGatewayRecordsThePrincipalOpenAndAJobDeleteIsRecordedToo() async throws {
        let gateway = try await TestGateway.make()
        try await gateway.test { client in
            try await client.createRun("a", db: "scratch")
            _ = try await client.send(.delete, "/eval-runs?db_id=scratch", json: #"{"eval_run_ids":["a"]}"#)
            let store = try #require(gateway.services.catalog.database(id: "scratch")?.batchEvaluations)
            let job = BatchEvaluation(
                id: "done-AbCdE12345", arn: "arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/done-AbCdE12345", name: "done",
                status: .completed, evaluatorIDs: ["Builtin.Correctness"], sessions: [BatchEvaluationSession(sessionID: "s")],
                dataSourceConfig: .object([:]), createdAt: Timestamp.nowMilliseconds(), clientToken: nil, parametersHash: "h", evalRunsTable: "agno_eval_runs"
            )
            _ = try await store.createBatchEvaluation(job)
            let deleted = try await client.send(.delete, "/evaluations/batch-evaluate/done-AbCdE12345?db_id=scratch", headers: [.xRequestID: "job-delete-1"])
            #expect(deleted.status == .accepted)
            let records = try await Self.records(client, "&db_id=scratch")
            #expect(records.map { $0["kind"] as? String } == ["batch_evaluation", "ids"], "newest first")
            #expect(records.allSatisfy { $0["principal"] as? String == "open" })
            let jobRecord = try #require(records.first)
            #expect(jobRecord["table"] is NSNull)
            #expect(jobRecord["deleted"] as? Int == 1)
            #expect(jobRecord["request_id"] as? String == "job-delete-1")
            #expect(jobRecord["ids_sha256"] as? String == AuditDigest(["done-AbCdE12345"]).sha256)
            // A refused job delete (unknown) writes nothing.
            _ = try await client.send(.delete, "/evaluations/batch-evaluate/done-AbCdE12345?db_id=scratch")
            #expect(try await Self.records(client, "&db_id=scratch").count == 2)
        }
    }

    @Test func theTrailIsReadNewestFirstFilteredAndPagedAcrossDatabases() async throws {
        try await TestGateway.make(tokens: [Self.admin, Self.deleter]).test { client in
            var requestIDs: [String] = []
            for index in 0..<6 {
                let db = index % 2 == 0 ? "local" : "scratch"
                let headers = (index < 3 ? Self.asAdmin : Self.asDeleter).merging([.xRequestID: "r-\(index)"])
                let response = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["x-\#(index)"]}"#, headers: headers)
                #expect(response.status == .noContent)
                requestIDs.append("r-\(index)")
            }
            let all = try await Self.records(client)
            #expect(all.map { $0["request_id"] as? String } == requestIDs.reversed().map { $0 }, "newest first across both databases")
            let page = try await client.send(.get, "/admin/audit?db_id=*&limit=2&page=2", headers: Self.asAdmin)
            #expect((page.object["data"] as? [[String: Any]])?.map { $0["request_id"] as? String } == ["r-3", "r-2"])
            #expect(page.object["meta"] as? [String: Int] == ["page": 2, "limit": 2, "total_pages": 3, "total_count": 6])
            #expect(try await Self.records(client, "&db_id=local").map { $0["request_id"] as? String } == ["r-4", "r-2", "r-0"])
            #expect(try await Self.records(client, "&db_id=scratch,local&principal=eraser").map { $0["request_id"] as? String } == ["r-5", "r-4", "r-3"])
            #expect(try await Self.records(client, "&kind=retention").isEmpty)
            let first = try #require(all.last?["at"] as? String)
            #expect(try await Self.records(client, "&until=\(first.prefix(19))Z").count <= 1)
            #expect(try await Self.records(client, "&since=2999-01-01T00:00:00Z").isEmpty)

            for (query, location) in [("kind=all", "kind"), ("since=yesterday", "since"), ("until=2024-13-01T00:00:00Z", "until"), ("limit=0", "limit")] {
                let refused = try await client.send(.get, "/admin/audit?\(query)", headers: Self.asAdmin)
                #expect(refused.status == .unprocessableContent, "\(query)")
                #expect(((refused.object["errors"] as? [[String: Any]])?.first?["loc"] as? [String]) == ["query", location])
            }
            #expect(try await client.send(.get, "/admin/audit?db_id=nope", headers: Self.asAdmin).status == .notFound)
            #expect(try await client.send(.get, "/admin/audit?db_id=local,,scratch", headers: Self.asAdmin).status == .notFound)
            #expect(try await client.send(.get, "/admin/audit", headers: Self.asDeleter).status == .forbidden)
        }
    }

    @Test func anAdminTokenLimitedToSomeDatabasesReadsOnlyTheirTrail() async throws {
        let localAdmin = AccessToken(name: "local-admin", secret: "local-admin-token", scopes: [.admin], databases: ["local"])
        try await TestGateway.make(tokens: [Self.admin, localAdmin]).test { client in
            for db in ["local", "scratch"] {
                _ = try await client.send(.delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["x"]}"#, headers: Self.asAdmin)
            }
            let asLocal: HTTPFields = [.authorization: "Bearer local-admin-token"]
            let mine = try await client.send(.get, "/admin/audit", headers: asLocal)
            #expect((mine.object["data"] as? [[String: Any]])?.map { $0["db_id"] as? String } == ["local"])
            let foreign = try await client.send(.get, "/admin/audit?db_id=scratch", headers: asLocal)
            #expect(foreign.status == .notFound)
            #expect(foreign.detail == "No database found with id 'scratch'")
        }
    }
}
