import AdapterConformance
import ArgumentParser
import EvalGateway
import EvalGatewayCore
import Foundation
import Logging

/// `evalgw conformance`: runs the adapter conformance suite against a configured database or an adapter
/// given by flags, prints one line per check and `N passed, M failed`, and fails on any failure.
/// `swift package conformance` builds `evalgw` and runs this.
struct Conformance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the storage-contract conformance suite against an adapter.",
        discussion: """
            Each check opens the adapter over fresh tables named conformance_<random>; on a configured
            database they are created beside its own tables and left there. The batch-evaluation job
            checks (skipped when the adapter keeps no jobs) create jobs named cf_<random>_... in the
            database's job store, claim jobs as a runner would, and delete their own jobs afterwards:
            do not run them against a database a gateway is serving.
            """
    )

    @Option(name: .long, help: "A configuration file whose databases to test (with --db-id, one of them).")
    var config: String?

    @Option(name: .customLong("db-id"), help: "The database of --config to test (default: every database).")
    var databaseIDs: [String] = []

    @Option(name: .long, help: "An adapter kind to test without a configuration file (memory, sqlite, postgres).")
    var adapter: String?

    @Option(name: .long, help: "For --adapter postgres: the libpq URL.")
    var url: String?

    @Option(name: .long, help: "For --adapter sqlite: the file (default: a new temporary file).")
    var path: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Run only these checks.")
    var only: [String] = []

    @Flag(name: .long, help: "List the checks and exit.")
    var list = false

    func run() async throws {
        if list {
            for check in ConformanceSuite.checks { print("\(check.name): \(check.summary)") }
            return
        }
        let registry = AdapterRegistry.builtIn
        let databases = try targets(registry: registry)
        var logger = Logger(label: "evalgw.conformance")
        logger.logLevel = .warning
        var passed = 0, failed = 0, skipped = 0
        for database in databases {
            guard let adapter = registry.adapter(kind: database.adapter) else {
                throw ValidationError("unknown adapter '\(database.adapter)' (registered: \(registry.kinds.joined(separator: ", ")))")
            }
            print("== \(database.id) (\(database.adapter))")
            let target = ConformanceTarget(name: database.adapter) { [logger] tables in
                var configuration = database
                configuration.tables = tables
                return try await adapter.makeStore(for: configuration, logger: logger)
            }
            let start = ContinuousClock.now
            for result in await ConformanceSuite(target: target).run(only: only.isEmpty ? nil : Set(only)) {
                print(result)
                switch result.outcome {
                case .passed: passed += 1
                case .failed: failed += 1
                case .skipped: skipped += 1
                }
            }
            print("-- \(database.id): \(ContinuousClock.now - start)")
        }
        print("\(passed) passed, \(failed) failed, \(skipped) skipped")
        if failed > 0 { throw ExitCode.failure }
    }

    private func targets(registry: AdapterRegistry) throws -> [DatabaseConfiguration] {
        if let config {
            let configuration = try GatewayConfiguration.load(path: config, registry: registry)
            let selected = databaseIDs.isEmpty ? configuration.databases : configuration.databases.filter { databaseIDs.contains($0.id) }
            if let missing = databaseIDs.first(where: { id in !configuration.databases.contains { $0.id == id } }) {
                throw ValidationError("\(config) has no database '\(missing)'")
            }
            return selected
        }
        guard let adapter else { throw ValidationError("give --config FILE [--db-id ID] or --adapter KIND") }
        var options: [String: ConfigValue] = [:]
        if let url { options["url"] = .string(url) }
        switch adapter {
        case "sqlite":
            let file = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-conformance-\(UUID().uuidString).sqlite").path
            options["path"] = .string(file)
        case "postgres" where url == nil:
            throw ValidationError("--adapter postgres needs --url")
        default: break
        }
        return [DatabaseConfiguration(id: adapter, adapter: adapter, options: AdapterOptions(options, path: "--\(adapter)"))]
    }
}
