import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A scoped token cannot tell another tenant's database from one that does not exist, on any route of
/// either surface; `/ready` names databases only to an admin.
@Suite struct TenantSecrecyTests {
    static let tokens = [
        AccessToken(name: "tenant", secret: "tenant-token", scopes: [.read, .write, .delete], databases: ["scratch"]),
        AccessToken(name: "reader", secret: "reader-token", scopes: [.read], databases: ["scratch"]),
        AccessToken(name: "admin", secret: "admin-token", scopes: [.admin], databases: ["*"]),
    ]

    static let startBody = #"{"batchEvaluationName":"probe","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#

    /// What a client can observe of an answer, with the database id it named blanked out.
    struct Observed: Equatable, CustomStringConvertible {
        let status: Int
        let contentType: String?
        let errorType: String?
        let body: String

        init(_ response: TestResponse, naming databaseID: String) {
            status = response.status.code
            contentType = response.headers[.contentType]
            errorType = response.headers[.xAmznErrorType]
            body = String(buffer: response.body).replacingOccurrences(of: databaseID, with: "<db>")
        }

        var description: String { "\(status) \(errorType ?? "") \(body)" }
    }

    /// Every route of both surfaces, asked by a scoped token about `local` (another tenant's database,
    /// holding a run and a job) and about `lokal` (no such database), with and without a table: the two
    /// answers are the same but for the name, and nothing of `local` changes.
    @Test(arguments: ["tenant-token", "reader-token"])
    func aForeignDatabaseAnswersExactlyAsAMissingOne(_ token: String) async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            let admin: HTTPFields = [.authorization: "Bearer admin-token"]
            #expect(try await client.send(.post, "/eval-runs?db_id=local", json: #"{"id":"secret-run","eval_type":"accuracy","eval_data":{}}"#, headers: admin).status == .created)
            let started = try await client.send(.post, "/evaluations/batch-evaluate?db_id=local", json: Self.startBody, headers: admin)
            let job = try #require(started.object["batchEvaluationId"] as? String)

            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/eval-runs?db_id={db}", nil),
                (.get, "/eval-runs?db_id={db}&table=agno_eval_runs", nil),
                (.get, "/eval-runs?db_id={db}&table=no_such_table", nil),
                (.get, "/eval-runs?db_id={db}&sort_by=created_at&limit=5", nil),
                (.get, "/eval-runs/secret-run?db_id={db}", nil),
                (.get, "/eval-runs/secret-run?db_id={db}&table=no_such_table", nil),
                (.post, "/eval-runs?db_id={db}", #"{"eval_type":"accuracy","eval_data":{}}"#),
                (.patch, "/eval-runs/secret-run?db_id={db}", #"{"name":"owned"}"#),
                (.delete, "/eval-runs?db_id={db}", #"{"eval_run_ids":["secret-run"]}"#),
                (.delete, "/eval-runs?db_id={db}&table=agno_eval_runs", #"{"eval_run_ids":["secret-run"]}"#),
                (.post, "/evaluations/batch-evaluate?db_id={db}", Self.startBody),
                (.get, "/evaluations/batch-evaluate?db_id={db}", nil),
                (.get, "/evaluations/batch-evaluate?db_id={db}&maxResults=1&nextToken=abc", nil),
                (.get, "/evaluations/batch-evaluate/\(job)?db_id={db}", nil),
                (.post, "/evaluations/batch-evaluate/\(job)/stop?db_id={db}", nil),
                (.delete, "/evaluations/batch-evaluate/\(job)?db_id={db}", nil),
            ]
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            for (method, template, body) in routes {
                let foreign = try await client.send(method, template.replacingOccurrences(of: "{db}", with: "local"), json: body, headers: headers)
                let missing = try await client.send(method, template.replacingOccurrences(of: "{db}", with: "lokal"), json: body, headers: headers)
                #expect(foreign.status.code >= 400, "\(method) \(template) reached another tenant's database")
                #expect(Observed(foreign, naming: "local") == Observed(missing, naming: "lokal"), "\(method) \(template)")
            }
            let run = try await client.send(.get, "/eval-runs/secret-run?db_id=local", headers: admin)
            #expect(run.status == .ok)
            #expect(run.object["name"] is NSNull)
            let kept = try await client.send(.get, "/evaluations/batch-evaluate/\(job)?db_id=local", headers: admin)
            #expect(kept.status == .ok)
            #expect(kept.object["status"] as? String == "PENDING")
            #expect(try await client.send(.get, "/eval-runs?db_id=local", headers: admin).object["meta"].flatMap { ($0 as? [String: Any])?["total_count"] as? Int } == 1)
        }
    }

    /// `/ready` without a token (or with one that is not admin) answers only the overall status; an admin
    /// token also gets each database's state.
    @Test func readyNamesDatabasesOnlyToAnAdmin() async throws {
        try await TestGateway.make(tokens: Self.tokens).test { client in
            for headers in [HTTPFields(), [.authorization: "Bearer tenant-token"], [.authorization: "Bearer wrong"], [.authorization: "Basic eDp5"]] {
                let response = try await client.send(.get, "/ready", headers: headers)
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
            let admin = try await client.send(.get, "/ready", headers: [.authorization: "Bearer admin-token"])
            #expect(admin.status == .ok)
            #expect(admin.object["databases"] as? [String: String] == ["local": "ok", "scratch": "ok"])
        }
    }
}
