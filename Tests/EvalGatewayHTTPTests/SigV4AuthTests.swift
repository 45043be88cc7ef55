import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MemoryAdapter
import Testing

/// AWS SigV4 verification (`auth.sigv4`): known-answer vectors produced by botocore, then the rejections
/// and the principal's scope and tenant checks, all through the real router.
@Suite struct SigV4AuthTests {
    static let base = "/evaluations/batch-evaluate"
    static let keyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// 2026-11-22T12:00:00Z, the time the vectors were signed at.
    static let vectorTime: Int64 = 1_795_348_800
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// One request signed by botocore 1.43.11 (`botocore.auth.SigV4Auth`), with the canonical request it
    /// logged and the `Authorization` header it produced. Made once by this Python, then pasted here:
    ///
    /// ```python
    /// import datetime, logging
    /// import botocore.auth
    /// from botocore.awsrequest import AWSRequest
    /// from botocore.credentials import Credentials
    /// botocore.auth.get_current_datetime = lambda: datetime.datetime(2026, 11, 22, 12, 0, 0)
    /// captured = []
    /// class Capture(logging.Handler):
    ///     def emit(self, record): captured.append(record.getMessage())
    /// logging.getLogger("botocore.auth").addHandler(Capture()); logging.getLogger("botocore.auth").setLevel(logging.DEBUG)
    /// signer = botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "bedrock-agentcore", "us-east-1")
    /// for request in [
    ///     AWSRequest(method="GET", url="http://127.0.0.1:7070/evaluations/batch-evaluate/nightly%5Frun-AbCdE12345?table=agno_eval_runs&db_id=db"),
    ///     AWSRequest(method="GET", url="http://127.0.0.1:7070/evaluations/batch-evaluate?maxResults=5&nextToken=a%20b%2Fc&db_id=db"),
    ///     AWSRequest(method="POST", url="http://127.0.0.1:7070/evaluations/batch-evaluate?db_id=db", headers={"Content-Type": "application/json"},
    ///                data=b'{"batchEvaluationName":"nightly","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}'),
    /// ]:
    ///     captured.clear()
    ///     signer.add_auth(request)
    ///     print(repr(captured[1].split("\n", 1)[1]))   # the canonical request
    ///     print(request.headers["X-Amz-Date"], request.headers["Authorization"])
    /// ```
    struct Vector: Sendable {
        var method: HTTPRequest.Method
        var target: String
        var body: String?
        var canonicalRequest: String
        var authorization: String
        var signature: String { String(authorization.split(separator: "=").last!) }
        var signedHeaders: [String] { body == nil ? ["host", "x-amz-date"] : ["content-type", "host", "x-amz-date"] }
    }

    static let vectors = [
        Vector(
            method: .get,
            target: "/evaluations/batch-evaluate/nightly%5Frun-AbCdE12345?table=agno_eval_runs&db_id=db",
            canonicalRequest: "GET\n/evaluations/batch-evaluate/nightly%255Frun-AbCdE12345\ndb_id=db&table=agno_eval_runs\nhost:127.0.0.1:7070\nx-amz-date:20261122T120000Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/bedrock-agentcore/aws4_request, SignedHeaders=host;x-amz-date, Signature=3f283d96cc8f1ac50098f06b97bc7fc4a769643b73ef23854026e50f68375a8f"
        ),
        Vector(
            method: .get,
            target: "/evaluations/batch-evaluate?maxResults=5&nextToken=a%20b%2Fc&db_id=db",
            canonicalRequest: "GET\n/evaluations/batch-evaluate\ndb_id=db&maxResults=5&nextToken=a%20b%2Fc\nhost:127.0.0.1:7070\nx-amz-date:20261122T120000Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/bedrock-agentcore/aws4_request, SignedHeaders=host;x-amz-date, Signature=efe375c22e176e9b5de740d43920e5e151ba4949ae57a7042751f497bd9d577c"
        ),
        Vector(
            method: .post,
            target: "/evaluations/batch-evaluate?db_id=db",
            body: #"{"batchEvaluationName":"nightly","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#,
            canonicalRequest: "POST\n/evaluations/batch-evaluate\ndb_id=db\ncontent-type:application/json\nhost:127.0.0.1:7070\nx-amz-date:20261122T120000Z\n\ncontent-type;host;x-amz-date\ne23c75043df5850fc832e1f204ced2129127f8569c0d668065bbae8f6d40d0e4",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/bedrock-agentcore/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=51007192355ebb427fe6d17771dee8b8f5057d9abb990656ba3518b257fafe3f"
        ),
    ]

    static func credential(_ keyID: String = keyID, secret: String = secret, scopes: Set<Scope> = [.admin], databases: Set<String> = ["*"]) -> SigV4Credential {
        SigV4Credential(accessKeyID: keyID, secretAccessKey: secret, scopes: scopes, databases: databases)
    }

    /// A gateway over one in-memory database `db`; with `sigV4`, whose clock reads `offset` seconds after
    /// the vectors' time.
    static func gateway(
        _ credentials: [SigV4Credential] = [credential()], region: String? = nil, tokens: [AccessToken] = [], offset: Int64 = 60, sigV4: Bool = true
    ) async throws -> TestGateway {
        let tables = ["agno_eval_runs", "other_runs"]
        let database = RegisteredDatabase(configuration: DatabaseConfiguration(id: "db", adapter: "memory", tables: tables), store: MemoryEvalRunStore(tables: tables))
        return try await TestGateway.make(
            tokens: tokens, extra: [database], only: ["db"],
            sigV4: sigV4 ? SigV4Configuration(credentials: credentials, region: region) : nil, now: { vectorTime + offset }
        )
    }

    // MARK: - Known answers

    @Test func canonicalRequestsAndSignaturesMatchBotocore() throws {
        for vector in Self.vectors {
            let payloadHash = try SigV4Verifier.payloadHash(of: ByteBuffer(string: vector.body ?? ""), declared: nil)
            #expect(vector.body != nil || payloadHash == Self.emptyHash)
            var values = ["host": ["127.0.0.1:7070"], "x-amz-date": ["20261122T120000Z"]]
            if vector.body != nil { values["content-type"] = ["application/json"] }
            let canonical = SigV4CanonicalRequest(
                method: vector.method.rawValue, target: vector.target, signedHeaders: vector.signedHeaders, headerValues: values, payloadHash: payloadHash
            )
            #expect(canonical.text == vector.canonicalRequest)
            let signature = SigV4Verifier.signature(
                canonicalRequest: canonical.text, amzDate: "20261122T120000Z", date: "20261122", region: "us-east-1",
                service: "bedrock-agentcore", secretAccessKey: Self.secret
            )
            #expect(signature == vector.signature)
            #expect(try SigV4Authorization(parsing: vector.authorization).signature == vector.signature)
        }
    }

    @Test func canonicalisationEdgeCases() {
        // botocore's remove_dot_segments, then quote(path, safe='/~').
        #expect(SigV4CanonicalRequest.canonicalURI("") == "/")
        #expect(SigV4CanonicalRequest.canonicalURI("/a//b/./c/../d/") == "/a/b/d/")
        #expect(SigV4CanonicalRequest.canonicalURI("/x%2Fy z~") == "/x%252Fy%20z~")
        // A query left raw in the URL (',' unencoded) is tried as botocore signs it and as other SDKs re-encode it.
        let request = SigV4CanonicalRequest(
            method: "GET", target: "/r?b=2&a=x,y&a=1", signedHeaders: ["host"], headerValues: ["host": ["h  with   spaces "]], payloadHash: Self.emptyHash
        )
        #expect(request.texts.map { $0.split(separator: "\n")[2] } == ["a=1&a=x,y&b=2", "a=1&a=x%2Cy&b=2"])
        #expect(request.text.contains("\nhost:h with spaces\n"))
    }

    @Test func botocoreSignedRequestsAreAcceptedThroughTheRouter() async throws {
        try await Self.gateway().test { client async throws in
            for vector in Self.vectors {
                var headers: HTTPFields = [.hostHeader: "127.0.0.1:7070", .xAmzDate: "20261122T120000Z", .authorization: vector.authorization]
                if vector.body != nil { headers[.contentType] = "application/json" }
                let response = try await client.execute(uri: vector.target, method: vector.method, headers: headers, body: vector.body.map { ByteBuffer(string: $0) })
                switch vector.method {
                case .post:
                    #expect(response.status == .accepted, "\(String(buffer: response.body))")
                    #expect(response.object["batchEvaluationArn"] as? String == "arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/\(response.object["batchEvaluationId"] as? String ?? "")")
                case _ where vector.target.contains("nightly%5F"):
                    // Authenticated: the id is decoded (`nightly_run-AbCdE12345`) and simply not there.
                    #expect(response.status == .notFound, "\(String(buffer: response.body))")
                    #expect(response.awsErrorType == "ResourceNotFoundException")
                default:
                    // Authenticated: the forged page token is the route's own 400.
                    #expect(response.status == .badRequest, "\(String(buffer: response.body))")
                    #expect(response.object["message"] as? String == "The nextToken is invalid or expired")
                }
            }
        }
    }

    // MARK: - Rejections

    @Test func wrongSecretUnknownKeyAndTamperingAre403() async throws {
        try await Self.gateway().test { client async throws in
            let wrongSecret = try await client.send(.get, Self.base, headers: TestSigner(secret: "not-the-secret").headers(.get, Self.base))
            #expect(wrongSecret.status == .forbidden)
            #expect(wrongSecret.awsErrorType == "InvalidSignatureException")
            #expect((wrongSecret.object["message"] as? String)?.contains("does not match the signature you provided") == true)
            #expect(String(buffer: wrongSecret.body).contains(Self.secret) == false)

            let unknown = try await client.send(.get, Self.base, headers: TestSigner(keyID: "AKIDUNKNOWN").headers(.get, Self.base))
            #expect(unknown.status == .forbidden)
            #expect(unknown.awsErrorType == "UnrecognizedClientException")
            #expect((unknown.object["message"] as? String)?.contains("'AKIDUNKNOWN' is not recognized") == true)

            // The signature covers the URL and the body: a query parameter or a body changed after signing fails.
            let signedForList = TestSigner().headers(.get, Self.base)
            let otherQuery = try await client.send(.get, Self.base + "?db_id=db", headers: signedForList)
            #expect(otherQuery.awsErrorType == "InvalidSignatureException")
            let body = #"{"batchEvaluationName":"a","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#
            let signedForBody = TestSigner().headers(.post, Self.base, body: body)
            let otherBody = try await client.send(.post, Self.base, json: body.replacingOccurrences(of: "\"a\"", with: "\"b\""), headers: signedForBody)
            #expect(otherBody.status == .forbidden)
            #expect(otherBody.awsErrorType == "InvalidSignatureException")
            #expect(try await client.send(.post, Self.base, json: body, headers: signedForBody).status == .accepted)

            // A declared body hash must be the body's; an unsigned payload is refused.
            var unsigned = TestSigner().headers(.get, Self.base)
            unsigned[.xAmzContentSHA256] = "UNSIGNED-PAYLOAD"
            #expect(try await client.send(.get, Self.base, headers: unsigned).awsErrorType == "IncompleteSignatureException")
            var declared = TestSigner().headers(.get, Self.base)
            declared[.xAmzContentSHA256] = Self.emptyHash
            #expect(try await client.send(.get, Self.base, headers: declared).status == .ok)
        }
    }

    @Test func clockSkewBeyondFifteenMinutesIs403() async throws {
        let cases: [(offset: Int64, accepted: Bool)] = [(16 * 60, false), (-16 * 60, false), (14 * 60, true), (-14 * 60, true)]
        for (offset, accepted) in cases {
            try await Self.gateway(offset: offset).test { client async throws in
                let response = try await client.send(.get, Self.base, headers: TestSigner().headers(.get, Self.base))
                if accepted {
                    #expect(response.status == .ok, "offset \(offset): \(String(buffer: response.body))")
                } else {
                    #expect(response.status == .forbidden, "offset \(offset)")
                    #expect(response.awsErrorType == "InvalidSignatureException")
                    let message = response.object["message"] as? String ?? ""
                    #expect(message.hasPrefix(offset > 0 ? "Signature expired: 20261122T120000Z is now earlier than 20261122T120100Z" : "Signature not yet current"), "\(message)")
                    #expect(message.contains("15 min."))
                }
            }
        }
    }

    @Test func malformedOrMisScopedSignaturesAreRefused() async throws {
        try await Self.gateway(region: "us-east-1").test { client async throws in
            let good = TestSigner().headers(.get, Self.base)
            let authorization = good[.authorization]!
            func send(_ change: (inout HTTPFields) -> Void) async throws -> TestResponse {
                var headers = good
                change(&headers)
                return try await client.send(.get, Self.base, headers: headers)
            }
            let noSignature = try await send { $0[.authorization] = String(authorization[..<authorization.range(of: ", Signature=")!.lowerBound]) }
            #expect(noSignature.status == .badRequest)
            #expect(noSignature.awsErrorType == "IncompleteSignatureException")
            #expect(noSignature.object["message"] as? String == "Authorization header requires 'Signature' parameter.")
            let noDate = try await send { $0[.xAmzDate] = nil }
            #expect(noDate.awsErrorType == "IncompleteSignatureException")
            #expect((noDate.object["message"] as? String)?.contains("X-Amz-Date") == true)
            let badDate = try await send { $0[.xAmzDate] = "2026-11-22T12:00:00Z" }
            #expect(badDate.awsErrorType == "IncompleteSignatureException")
            let hostUnsigned = try await send { $0[.authorization] = authorization.replacingOccurrences(of: "SignedHeaders=host;x-amz-date", with: "SignedHeaders=x-amz-date") }
            #expect(hostUnsigned.awsErrorType == "IncompleteSignatureException")
            let garbage = try await send { $0[.authorization] = "AWS4-HMAC-SHA256 Credential=nonsense, SignedHeaders=host, Signature=zz" }
            #expect(garbage.status == .badRequest)
            #expect(garbage.awsErrorType == "IncompleteSignatureException")
            let sigV4a = try await send { $0[.authorization] = authorization.replacingOccurrences(of: "AWS4-HMAC-SHA256", with: "AWS4-ECDSA-P256-SHA256") }
            #expect(sigV4a.awsErrorType == "IncompleteSignatureException")

            let otherService = try await client.send(.get, Self.base, headers: TestSigner(service: "s3").headers(.get, Self.base))
            #expect(otherService.status == .forbidden)
            #expect(otherService.awsErrorType == "InvalidSignatureException")
            #expect(otherService.object["message"] as? String == "Credential should be scoped to correct service: 'bedrock-agentcore'.")
            let otherRegion = try await client.send(.get, Self.base, headers: TestSigner(region: "eu-west-1").headers(.get, Self.base))
            #expect(otherRegion.status == .forbidden)
            #expect((otherRegion.object["message"] as? String)?.contains("valid region") == true)
        }
    }

    // MARK: - The principal

    @Test func scopesAndDatabasesApplyToSigV4Principals() async throws {
        let credentials = [
            Self.credential("AKIDREADER", secret: "reader-secret", scopes: [.read]),
            Self.credential("AKIDWRITER", secret: "writer-secret", scopes: [.read, .write]),
            Self.credential("AKIDTENANT", secret: "tenant-secret", scopes: [.admin], databases: ["other"]),
        ]
        try await Self.gateway(credentials).test { client async throws in
            let reader = TestSigner(keyID: "AKIDREADER", secret: "reader-secret")
            #expect(try await client.send(.get, Self.base, headers: reader.headers(.get, Self.base)).status == .ok)
            let body = #"{"batchEvaluationName":"scoped","dataSourceConfig":{"cloudWatchLogs":{"serviceNames":["s"],"logGroupNames":["l"]}}}"#
            let readerStart = try await client.send(.post, Self.base, json: body, headers: reader.headers(.post, Self.base, body: body))
            #expect(readerStart.status == .forbidden)
            #expect(readerStart.awsErrorType == "AccessDeniedException")
            #expect(readerStart.object["message"] as? String == "This token does not have the 'evals:write' scope")

            let writer = TestSigner(keyID: "AKIDWRITER", secret: "writer-secret")
            let started = try await client.send(.post, Self.base, json: body, headers: writer.headers(.post, Self.base, body: body))
            #expect(started.status == .accepted)
            let path = "\(Self.base)/\(started.object["batchEvaluationId"] as? String ?? "")"
            let writerDelete = try await client.send(.delete, path, headers: writer.headers(.delete, path))
            #expect(writerDelete.awsErrorType == "AccessDeniedException")

            let tenant = TestSigner(keyID: "AKIDTENANT", secret: "tenant-secret")
            let elsewhere = try await client.send(.get, Self.base, headers: tenant.headers(.get, Self.base))
            #expect(elsewhere.status == .notFound)
            #expect(elsewhere.awsErrorType == "ResourceNotFoundException")
            #expect(elsewhere.object["message"] as? String == "No database found with id 'db'")
        }
    }

    @Test func bearerTokensKeepWorkingBesideSigV4() async throws {
        let token = AccessToken(name: "reader", secret: "read-token", scopes: [.read], databases: ["*"])
        try await Self.gateway(tokens: [token]).test { client async throws in
            #expect(try await client.send(.get, Self.base, headers: [.authorization: "Bearer read-token"]).status == .ok)
            #expect(try await client.send(.get, Self.base, headers: [.authorization: "Bearer nope"]).awsErrorType == "UnauthorizedException")
            #expect(try await client.send(.get, Self.base).status == .unauthorized)
            #expect(try await client.send(.get, Self.base, headers: TestSigner().headers(.get, Self.base)).status == .ok)
        }
        // Tokens but no SigV4: a signed request is refused with a sentence saying so.
        try await Self.gateway(tokens: [token], sigV4: false).test { client async throws in
            let signed = try await client.send(.get, Self.base, headers: TestSigner(time: Timestamp.now()).headers(.get, Self.base))
            #expect(signed.status == .unauthorized)
            #expect(signed.awsErrorType == "UnauthorizedException")
            #expect((signed.object["message"] as? String)?.contains("does not accept AWS SigV4 signatures") == true)
        }
        // An open gateway lets a signed request through unchecked, as before.
        try await Self.gateway(sigV4: false).test { client async throws in
            #expect(try await client.send(.get, Self.base, headers: TestSigner(secret: "anything").headers(.get, Self.base)).status == .ok)
        }
    }

    @Test func theAgnoSurfaceAcceptsSigV4WithItsOwnErrors() async throws {
        try await Self.gateway().test { client async throws in
            let target = "/eval-runs?db_id=db"
            let listed = try await client.send(.get, target, headers: TestSigner().headers(.get, target))
            #expect(listed.status == .ok, "\(String(buffer: listed.body))")
            let wrong = try await client.send(.get, target, headers: TestSigner(secret: "nope").headers(.get, target))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.object["error_code"] as? String == "UNAUTHENTICATED")
            #expect((wrong.object["detail"] as? String)?.contains("does not match") == true)
        }
    }
}

/// Signs test requests the way botocore does (its canonicalisation is pinned by the known-answer
/// vectors above): headers `host`, `x-amz-date` and, with a body, `content-type`.
struct TestSigner {
    var keyID = SigV4AuthTests.keyID
    var secret = SigV4AuthTests.secret
    var region = "us-east-1"
    var service = "bedrock-agentcore"
    var time = SigV4AuthTests.vectorTime

    func headers(_ method: HTTPRequest.Method, _ target: String, body: String? = nil) -> HTTPFields {
        let amzDate = Timestamp.iso8601(time).filter { $0 != "-" && $0 != ":" }
        var headers: HTTPFields = [.hostHeader: "127.0.0.1:7070", .xAmzDate: amzDate]
        var values = ["host": ["127.0.0.1:7070"], "x-amz-date": [amzDate]]
        var signed = ["host", "x-amz-date"]
        if body != nil {
            headers[.contentType] = "application/json"
            values["content-type"] = ["application/json"]
            signed.insert("content-type", at: 0)
        }
        let payloadHash = (try? SigV4Verifier.payloadHash(of: ByteBuffer(string: body ?? ""), declared: nil)) ?? ""
        let canonical = SigV4CanonicalRequest(method: method.rawValue, target: target, signedHeaders: signed, headerValues: values, payloadHash: payloadHash)
        let date = String(amzDate.prefix(8))
        let signature = SigV4Verifier.signature(
            canonicalRequest: canonical.text, amzDate: amzDate, date: date, region: region, service: service, secretAccessKey: secret
        )
        headers[.authorization] = "AWS4-HMAC-SHA256 Credential=\(keyID)/\(date)/\(region)/\(service)/aws4_request, SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
        return headers
    }
}

extension HTTPField.Name {
    /// `Host`, as an HTTP/1 client sends it (a real server turns it into the `:authority`; the router
    /// test client passes it through as a header).
    static let hostHeader = HTTPField.Name("Host")!
}
