@testable import AdapterConformanceCommand
import ArgumentParser
@testable import evalgw
import Testing

/// How `evalgw` reads its command line: the subcommands and their options, and the usage errors a user
/// gets for what it cannot run (exit code 64, a sentence naming the problem).
@Suite struct CommandLineParsingTests {
    @Test func startBatchEvaluationTakesRepeatedSessionsAndEvaluators() throws {
        let command = try EvalGatewayCommand.parseAsRoot([
            "start", "batch-evaluation", "-n", "nightly", "--session", "s-1", "--session", "s-2",
            "--evaluator", "Builtin.Correctness", "--db-id", "tenant-a", "--table", "runs", "--endpoint", "http://127.0.0.1:9", "--json",
        ])
        let start = try #require(command as? StartBatchEvaluation)
        #expect(start.name == "nightly")
        #expect(start.sessions == ["s-1", "s-2"])
        #expect(start.evaluators == ["Builtin.Correctness"])
        #expect(start.options.databaseID == "tenant-a" && start.options.table == "runs" && start.options.json)
        #expect(start.serviceName == "evalgw" && start.logGroup == "evalgw")
    }

    @Test func batchEvaluationIDsArePercentEncodedIntoThePath() throws {
        let stop = try #require(try EvalGatewayCommand.parseAsRoot(["stop", "batch-evaluation", "-i", "bad/id-AbCdE12345"]) as? StopBatchEvaluation)
        #expect(stop.job.id == "bad/id-AbCdE12345")
        #expect(stop.job.path == "/evaluations/batch-evaluate/bad%2Fid-AbCdE12345")
    }

    @Test func serveReadsItsOptions() throws {
        let serve = try #require(try EvalGatewayCommand.parseAsRoot(["serve", "--config", "config/multi-tenant.yaml", "--host", "127.0.0.1", "--port", "0"]) as? Serve)
        #expect(serve.config == "config/multi-tenant.yaml" && serve.host == "127.0.0.1" && serve.port == 0)
    }

    @Test func conformanceReadsAdapterOptions() throws {
        let command = try EvalGatewayCommand.parseAsRoot([
            "conformance", "--adapter", "sqlite", "--option", "busy_timeout_ms=250", "--path", "/tmp/x.sqlite", "--only", "delete-is-idempotent", "delete-is-all-or-nothing",
        ])
        let conformance = try #require(command as? ConformanceCommand<BuiltInConformance>)
        #expect(conformance.adapter == "sqlite")
        #expect(conformance.options == ["busy_timeout_ms=250"])
        #expect(conformance.only == ["delete-is-idempotent", "delete-is-all-or-nothing"])
        #expect(ConformanceCommand<BuiltInConformance>.value("250") == .integer(250))
        #expect(ConformanceCommand<BuiltInConformance>.value("false") == .bool(false))
        #expect(ConformanceCommand<BuiltInConformance>.value("postgresql://h/db") == .string("postgresql://h/db"))
    }

    @Test(arguments: [
        (["start", "batch-evaluation"], "give --name (with --session ids) or --input FILE"),
        (["eval-runs", "delete"], "give ids as arguments, --ids-file FILE, or filter flags"),
        (["eval-runs", "delete", "a", "--user-id", "u-1"], "give ids or filter flags (--user-id, …), not both"),
        (["eval-runs", "delete", "a", "--dry-run"], "--dry-run needs filter flags"),
        (["eval-runs", "delete", "a", "--chunk-size", "0"], "--chunk-size must be at least 1"),
        (["conformance", "--config", "c.yaml", "--adapter", "memory"], "give --config or --adapter, not both"),
        (["conformance", "--config", "c.yaml", "--option", "url=x"], "--option, --url and --path configure an adapter kind, not the databases of --config"),
        (["conformance", "--adapter", "sqlite", "--option", "novalue"], "--option 'novalue' is not KEY=VALUE"),
        (["conformance", "--only", "no-such-check"], "no check is named 'no-such-check' (see --list)"),
        (["serve", "--port", "seventy"], "The value 'seventy' is invalid for '--port <port>'"),
        (["stop", "batch-evaluation"], "Missing expected argument '--id <id>'"),
    ])
    func usageErrorsExit64WithASentence(_ arguments: [String], _ message: String) async {
        let run = await CommandRun.evalgw(arguments)
        #expect(run.exitCode == 64, "\(arguments)")
        #expect(run.errorText.contains(message), "\(arguments): \(run.errorText)")
        #expect(run.lines.isEmpty)
    }

    @Test func helpListsEverySubcommand() async {
        let run = await CommandRun.evalgw(["--help"])
        #expect(run.exitCode == 0)
        for name in ["serve", "conformance", "start", "get", "list", "stop", "archive", "eval-runs"] {
            #expect(run.output.contains("  \(name)"), "\(name) is missing from: \(run.output)")
        }
    }
}
