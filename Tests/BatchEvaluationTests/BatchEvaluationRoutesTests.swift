import BatchEvaluationRunner
import EvalGatewayCore
import Foundation
import Logging
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The AgentCore surface through the real router, on every adapter.
@Suite struct BatchEvaluationRoutesTests {
    static let base = "/evaluations/batch-evaluate"

    @Test(arguments: Backend.available)
    func startGetAndShapes(_ backend: Backend) async throws {
        try await BatchTestGateway.make(backend).test { client in
            let body = """
                {"batchEvaluationName":"shapes","description":"d","unknownMember":{"x":1},
                 "evaluators":[{"evaluatorId":"Builtin.Correctness","extra":true},{"evaluatorId":"custom_eval-abcdefghij"}],
                 "dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["svc"],"logGroupNames":["lg"],"junk":1,
                   "filterConfig":{"sessionIds":["a","b"],"timeRange":{"startTime":"2026-01-01T00:00:00Z"}}}},
                 "evaluationMetadata":{"sessionMetadata":[{"sessionId":"a","metadata":{"actualResponse":"Paris"},
                   "groundTruth":{"inline":{"turns":[{"input":{"prompt":"Capital?"},"expectedResponse":{"text":"Paris"}}]}}}]}}
                """
            let started = try await client.send(.post, Self.base, json: body)
            #expect(started.status == .accepted)
            let job = started.object
            let id = try #require(job["batchEvaluationId"] as? String)
            #expect(id.hasPrefix("shapes-") && id.count == "shapes-".count + 10)
            #expect(job["batchEvaluationArn"] as? String == "arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/\(id)")
            #expect(job["status"] as? String == "PENDING")
            #expect(job["description"] as? String == "d")
            let created = try #require(job["createdAt"] as? String)
            #expect(created.count == 24 && created.hasSuffix("Z") && created.contains("."))
            #expect(started.headers[HTTPField.Name("x-amzn-RequestId")!] != nil)

            let got = try await client.send(.get, "\(Self.base)/\(id)")
            #expect(got.status == .ok)
            let detail = got.object
            #expect(detail["batchEvaluationName"] as? String == "shapes")
            #expect((detail["evaluators"] as? [[String: Any]])?.compactMap { $0["evaluatorId"] as? String } == ["Builtin.Correctness", "custom_eval-abcdefghij"])
            let source = try #require(detail["dataSourceConfig"] as? [String: Any])
            let cloudWatch = try #require(source["cloudWatchLogs"] as? [String: Any])
            #expect(cloudWatch["junk"] == nil)
            #expect((cloudWatch["filterConfig"] as? [String: Any])?["sessionIds"] as? [String] == ["a", "b"])
            let results = try #require(detail["evaluationResults"] as? [String: Any])
            #expect(results["totalNumberOfSessions"] as? Int == 2)
            #expect(results["numberOfSessionsCompleted"] as? Int == 0)
            #expect(detail["updatedAt"] is String)
            #expect(detail["errorDetails"] == nil)
        }
    }

    @Test(arguments: Backend.available)
    func listPaginatesWithOpaqueTokens(_ backend: Backend) async throws {
        try await BatchTestGateway.make(backend).test { client in
            var started: [String] = []
            for index in 0..<5 { started.append(try await client.startJob("page\(index)")) }
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let query = "maxResults=2" + (token.map { "&nextToken=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let page = try await client.send(.get, "\(Self.base)?\(query)")
                #expect(page.status == .ok)
                let items = try #require(page.object["batchEvaluations"] as? [[String: Any]])
                #expect(items.count <= 2)
                seen += items.compactMap { $0["batchEvaluationId"] as? String }
                token = page.object["nextToken"] as? String
                pages += 1
            } while token != nil
            #expect(pages == 3)
            #expect(Set(seen) == Set(started))
            #expect(seen.count == 5)

            let all = try await client.send(.get, Self.base)
            #expect(all.object["nextToken"] == nil)
            #expect((all.object["batchEvaluations"] as? [Any])?.count == 5)

            for bad in ["maxResults=0", "maxResults=101"] {
                let response = try await client.send(.get, "\(Self.base)?\(bad)")
                #expect(response.status == .badRequest)
                #expect(response.awsErrorType == "ValidationException")
                #expect(response.object["reason"] as? String == "FieldValidationFailed")
                #expect((response.object["fieldList"] as? [[String: Any]])?.first?["name"] as? String == "maxResults")
            }
            #expect(try await client.send(.get, "\(Self.base)?maxResults=ten").object["reason"] as? String == "CannotParse")
            let forged = try await client.send(.get, "\(Self.base)?nextToken=djEKMTAwMAp4LWFhYWFhYWFhYWEKMTIz")
            #expect(forged.status == .badRequest)
            #expect(forged.awsErrorType == "ValidationException")
            #expect(try await client.send(.get, "\(Self.base)?nextToken=%%%").status == .badRequest)
        }
    }

    @Test(arguments: Backend.available)
    func deleteWhileRunningStopThenDelete(_ backend: Backend) async throws {
        // No runner: the job stays PENDING until stopped; then a runner finishes it as STOPPED.
        let gateway = try await BatchTestGateway.make(backend)
        try await gateway.test { client in
            let id = try await client.startJob("deleteme")
            let early = try await client.send(.delete, "\(Self.base)/\(id)")
            #expect(early.status == .conflict)
            #expect(early.awsErrorType == "ConflictException")
            #expect((early.object["message"] as? String)?.contains("still running. Stop it first") == true)

            let stop = try await client.send(.post, "\(Self.base)/\(id)/stop")
            #expect(stop.status == .accepted)
            #expect(stop.object["status"] as? String == "STOPPING")
            #expect(stop.object["batchEvaluationArn"] as? String != nil)
            #expect(try await client.send(.delete, "\(Self.base)/\(id)").status == .conflict)
        }
        // A runner comes up and finishes the stop.
        let runner = BatchEvaluationRunner(catalog: gateway.services.catalog, configuration: fastRunner(), logger: Logger(label: "runner"))
        #expect(await runner.runNextJob())
        try await gateway.test { client in
            let id = try #require((try await client.send(.get, Self.base).object["batchEvaluations"] as? [[String: Any]])?.first?["batchEvaluationId"] as? String)
            #expect(try await client.send(.get, "\(Self.base)/\(id)").object["status"] as? String == "STOPPED")
            let stopAgain = try await client.send(.post, "\(Self.base)/\(id)/stop")
            #expect(stopAgain.status == .conflict)
            #expect(stopAgain.awsErrorType == "ConflictException")
            let deleted = try await client.send(.delete, "\(Self.base)/\(id)")
            #expect(deleted.status == .accepted)
            #expect(deleted.object["batchEvaluationId"] as? String == id)
            #expect(deleted.object["status"] as? String == "STOPPED")
            #expect((deleted.object["batchEvaluationArn"] as? String)?.hasSuffix("/\(id)") == true)
            let gone = try await client.send(.get, "\(Self.base)/\(id)")
            #expect(gone.status == .notFound)
            #expect(gone.awsErrorType == "ResourceNotFoundException")
            #expect(try await client.send(.delete, "\(Self.base)/\(id)").status == .notFound)
            #expect(try await client.send(.post, "\(Self.base)/\(id)/stop").status == .notFound)
        }
    }

    @Test func malformedIDsAre400() async throws {
        try await BatchTestGateway.make(.memory).test { client in
            for path in ["bad%21id", "bad!id-abcdefghij", "short", "1starts-withdigit", "name-abcdefghi%2F", "%E2%82%AC-abcdefghij", "bad%zzid", "x-\(String(repeating: "a", count: 120))"] {
                for (method, suffix) in [(HTTPRequest.Method.get, ""), (.delete, ""), (.post, "/stop")] {
                    let response = try await client.send(method, "\(Self.base)/\(path)\(suffix)")
                    #expect(response.status == .badRequest, "\(method) \(path)\(suffix)")
                    #expect(response.awsErrorType == "ValidationException")
                    #expect(response.object["message"] is String)
                }
            }
            // Well-formed but unknown: 404.
            let unknown = try await client.send(.get, "\(Self.base)/valid_name-abcdefghij")
            #expect(unknown.status == .notFound)
            // Percent-encoded but valid once decoded.
            #expect(try await client.send(.get, "\(Self.base)/valid%5Fname-abcdefghij").status == .notFound)
        }
    }

    @Test func startValidationAndIdempotency() async throws {
        try await BatchTestGateway.make(.sqlite).test { client in
            let notJSON = try await client.send(.post, Self.base, json: "{nope")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.object["reason"] as? String == "CannotParse")

            let missing = try await client.send(.post, Self.base, json: "{}")
            #expect(missing.status == .badRequest)
            #expect(missing.object["reason"] as? String == "FieldValidationFailed")
            let fields = (missing.object["fieldList"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(fields.contains("batchEvaluationName") && fields.contains("dataSourceConfig"))

            let badName = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"has-dash","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect((badName.object["fieldList"] as? [[String: Any]])?.first?["name"] as? String == "batchEvaluationName")
            let badEvaluator = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"ok","evaluators":[{"evaluatorId":"nope"}],"dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect(badEvaluator.status == .badRequest)
            let shortToken = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"ok","clientToken":"short","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect(shortToken.status == .badRequest)

            let token = UUID().uuidString
            let first = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"idem","clientToken":"\#(token)","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect(first.status == .accepted)
            let again = try await client.send(.post, Self.base, json: #"{"clientToken":"\#(token)","batchEvaluationName":"idem","dataSourceConfig":{"cloudWatchLogs":{"logGroupNames":["l"],"serviceNames":["s"]}}}"#)
            #expect(again.status == .accepted)
            #expect(again.object["batchEvaluationId"] as? String == first.object["batchEvaluationId"] as? String)
            let mismatch = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"idem","description":"other","clientToken":"\#(token)","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect(mismatch.status == .badRequest)
            #expect(mismatch.awsErrorType == "ValidationException")
            #expect(mismatch.object["reason"] as? String == "IdempotentParameterMismatchException")

            let duplicate = try await client.send(.post, Self.base, json: #"{"batchEvaluationName":"idem","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.awsErrorType == "ConflictException")
        }
    }

    @Test func resolutionAndAuthUseTheAgnoRulesWithAWSErrors() async throws {
        let tokens = [
            AccessToken(name: "reader", secret: "read-token", scopes: [.read], databases: ["*"]),
            AccessToken(name: "writer", secret: "write-token", scopes: [.read, .write], databases: ["*"]),
            AccessToken(name: "admin", secret: "admin-token", scopes: [.admin], databases: ["*"]),
        ]
        try await BatchTestGateway.make(.memory, tokens: tokens).test { client in
            let missing = try await client.send(.get, Self.base)
            #expect(missing.status == .unauthorized)
            #expect(missing.awsErrorType == "UnauthorizedException")
            let sigv4 = try await client.send(.get, Self.base, headers: [.authorization: "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=00"])
            #expect(sigv4.status == .unauthorized)
            let wrong = try await client.send(.get, Self.base, headers: [.authorization: "Bearer nope"])
            #expect(wrong.awsErrorType == "UnauthorizedException")
            #expect(try await client.send(.get, Self.base, headers: [.authorization: "Bearer read-token"]).status == .ok)
            let forbidden = try await client.send(.post, Self.base, json: "{}", headers: [.authorization: "Bearer read-token"])
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.awsErrorType == "AccessDeniedException")
            let deleteForbidden = try await client.send(.delete, "\(Self.base)/some-abcdefghij", headers: [.authorization: "Bearer write-token"])
            #expect(deleteForbidden.awsErrorType == "AccessDeniedException")
            #expect(try await client.send(.delete, "\(Self.base)/some-abcdefghij", headers: [.authorization: "Bearer admin-token"]).status == .notFound)

            let admin: HTTPFields = [.authorization: "Bearer admin-token"]
            let noDB = try await client.send(.get, "\(Self.base)?table=other_runs", headers: admin)
            #expect(noDB.status == .badRequest)
            #expect(noDB.awsErrorType == "ValidationException")
            #expect(noDB.object["message"] as? String == "The db_id query parameter is required when passing a table")
            let unknownDB = try await client.send(.get, "\(Self.base)?db_id=ghost", headers: admin)
            #expect(unknownDB.status == .notFound)
            #expect(unknownDB.awsErrorType == "ResourceNotFoundException")
            let unknownTable = try await client.send(.get, "\(Self.base)?db_id=db&table=nope", headers: admin)
            #expect(unknownTable.awsErrorType == "ResourceNotFoundException")
            #expect(try await client.send(.get, "\(Self.base)?db_id=db&table=other_runs", headers: admin).status == .ok)
            // Unknown operations on the surface are AWS errors too.
            let put = try await client.send(.put, Self.base, headers: admin)
            #expect(put.status == .notFound)
            #expect(put.awsErrorType == "UnknownOperationException")
        }
    }
}
