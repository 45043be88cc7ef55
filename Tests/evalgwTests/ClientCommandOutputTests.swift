import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MemoryAdapter
import Testing

/// The client subcommands against a live gateway on a loopback port: what they print in text and in
/// `--json`, and that a refused call prints the gateway's message and exits 1.
@Suite struct ClientCommandOutputTests {
    /// Runs `body` with the endpoint of a live gateway over one in-memory database `db`.
    func withGateway(_ body: @escaping @Sendable (_ endpoint: [String]) async throws -> Void) async throws {
        let tables = ["agno_eval_runs"]
        let database = RegisteredDatabase(configuration: DatabaseConfiguration(id: "db", adapter: "memory", tables: tables), store: MemoryEvalRunStore(tables: tables))
        let services = GatewayServices(
            catalog: DatabaseCatalog(databases: [database], tokens: [RegisteredToken(token: AccessToken(name: "cli", secret: "cli-token", scopes: [.admin], databases: ["*"]))]),
            logger: Logger(label: "test")
        )
        let app = Application(router: buildGatewayRouter(services: services), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(["--endpoint", "http://localhost:\(port)", "--token", "cli-token"])
        }
    }

    @Test func batchEvaluationLifecycleInText() async throws {
        try await withGateway { endpoint in
            let started = await CommandRun.evalgw(["start", "batch-evaluation", "-n", "nightly", "--session", "s-1", "--session", "s-2"] + endpoint)
            #expect(started.exitCode == 0, "\(started.errorText)")
            #expect(started.lines.first == "Batch evaluation started successfully")
            let id = try #require(started.lines.first { $0.hasPrefix("ID: ") }.map { String($0.dropFirst(4)) })
            #expect(id.hasPrefix("nightly-") && id.count == "nightly-".count + 10)
            #expect(started.lines.contains("ARN: arn:aws:bedrock-agentcore:us-east-1:000000000000:batch-evaluate/\(id)"))
            #expect(started.lines.contains("Status: PENDING"))

            let shown = await CommandRun.evalgw(["get", "batch-evaluation", "-i", id] + endpoint)
            #expect(shown.exitCode == 0)
            #expect(shown.lines.contains("Name: nightly") && shown.lines.contains("Status: PENDING") && shown.lines.contains("Sessions: 2"))

            let listed = await CommandRun.evalgw(["list", "batch-evaluation"] + endpoint)
            #expect(listed.exitCode == 0, "\(listed.errorText)")
            #expect(listed.lines.count == 1 && listed.lines[0].hasPrefix("\(id)  PENDING  "))

            let stopped = await CommandRun.evalgw(["stop", "batch-evaluation", "-i", id] + endpoint)
            #expect(stopped.lines == ["Batch evaluation stopped successfully", "ID: \(id)", "Status: STOPPING"])

            // Not terminal yet (no runner here): archiving is refused with the gateway's sentence.
            let refused = await CommandRun.evalgw(["archive", "batch-evaluation", "-i", id] + endpoint)
            #expect(refused.exitCode == 1)
            #expect(refused.lines.isEmpty)
            #expect(refused.errorText.hasPrefix("Error: ") && refused.errorText.contains("is still running. Stop it first"), "\(refused.errorText)")
        }
    }

    @Test func jsonOutputIsTheGatewayAnswerWithSuccess() async throws {
        try await withGateway { endpoint in
            let started = await CommandRun.evalgw(["start", "batch-evaluation", "-n", "json_run", "--session", "s", "--json"] + endpoint)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(started.output.utf8)) as? [String: Any])
            #expect(object["success"] as? Bool == true && object["status"] as? String == "PENDING")
            #expect((object["batchEvaluationId"] as? String)?.hasPrefix("json_run-") == true)

            let missing = await CommandRun.evalgw(["get", "batch-evaluation", "-i", "absent-AbCdE12345", "--json"] + endpoint)
            #expect(missing.exitCode == 1)
            let failure = try #require(try JSONSerialization.jsonObject(with: Data(missing.output.utf8)) as? [String: Any])
            #expect(failure["success"] as? Bool == false)
            #expect((failure["error"] as? String)?.contains("absent-AbCdE12345") == true)
            #expect(missing.errorText.isEmpty, "with --json the failure goes to standard output only")
        }
    }

    @Test func evalRunsListGetAndDelete() async throws {
        try await withGateway { endpoint in
            let empty = await CommandRun.evalgw(["eval-runs", "list"] + endpoint)
            #expect(empty.lines == ["page 1 of 0, 0 runs in all"])

            let removed = await CommandRun.evalgw(["eval-runs", "delete", "a", "b", "a", "--chunk-size", "1"] + endpoint)
            #expect(removed.exitCode == 0, "\(removed.errorText)")
            #expect(removed.lines == ["Deleted 0 eval runs; 2 ids not found"])

            let asJSON = await CommandRun.evalgw(["eval-runs", "delete", "x", "--json"] + endpoint)
            #expect(asJSON.lines == [#"{"success":true,"deleted":0,"not_found":["x"]}"#])

            let missing = await CommandRun.evalgw(["eval-runs", "get", "nope"] + endpoint)
            #expect(missing.exitCode == 1)
            #expect(missing.errorText.contains("Eval run with id 'nope' not found"), "\(missing.errorText)")
        }
    }

    @Test func aWrongTokenIsTheGatewaysSentence() async throws {
        try await withGateway { endpoint in
            let refused = await CommandRun.evalgw(["eval-runs", "list", "--endpoint", endpoint[1], "--token", "wrong"])
            #expect(refused.exitCode == 1)
            #expect(refused.errorText.contains("Invalid authentication token"), "\(refused.errorText)")
        }
    }

    @Test func aBadEndpointIsRefusedBeforeAnyRequest() async {
        let run = await CommandRun.evalgw(["eval-runs", "list", "--endpoint", "ftp://example"])
        #expect(run.exitCode == 1)
        #expect(run.errorText == "Error: invalid endpoint 'ftp://example': expected http://host:port\n")
    }
}
