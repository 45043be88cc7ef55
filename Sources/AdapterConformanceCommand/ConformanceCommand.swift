import AdapterConformance
public import ArgumentParser
import EvalGatewayCore
import Foundation
import Logging

/// `conformance`: runs the storage-contract conformance suite against adapters of a ``ConformanceTool``
/// — a configured database, or an adapter kind given by flags — prints one line per check and
/// `N passed, M failed, K skipped`, and fails on any failure.
public struct ConformanceCommand<Tool: ConformanceTool>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "conformance",
            abstract: "Run the storage-contract conformance suite against an adapter.",
            discussion: """
                Each check opens the adapter over fresh tables named conformance_<random>; on a configured
                database they are created beside its own tables and left there. The batch-evaluation job
                checks (skipped when the adapter keeps no jobs) create jobs named cf_<random>_... in the
                database's job store, claim jobs as a runner would, and delete their own jobs afterwards:
                do not run them against a database a gateway is serving.

                With --adapter (or, in an adapter package's own tool, without it: its kinds), the adapter's
                options come from --option KEY=VALUE (--url and --path are short for --option url=… and
                --option path=…). An adapter with a `path` or `directory` option that is not given gets
                a new temporary file or folder.
                """
        )
    }

    @Option(name: .long, help: "A configuration file whose databases to test (with --db-id, one of them).")
    var config: String?

    @Option(name: .customLong("db-id"), help: "The database of --config to test (default: every database).")
    var databaseIDs: [String] = []

    @Option(name: .long, help: "An adapter kind to test without a configuration file.")
    var adapter: String?

    @Option(name: .customLong("option"), help: "An adapter option, KEY=VALUE (repeatable), for --adapter or the tool's own kinds.")
    var options: [String] = []

    @Option(name: .long, help: "The adapter's `url` option (postgres: the libpq URL).")
    var url: String?

    @Option(name: .long, help: "The adapter's `path` option (sqlite: the file; default: a new temporary file).")
    var path: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Run only these checks.")
    var only: [String] = []

    @Flag(name: .long, help: "List the checks and exit.")
    var list = false

    public init() {}

    public func validate() throws {
        if config != nil, adapter != nil { throw ValidationError("give --config or --adapter, not both") }
        if config != nil, !options.isEmpty || url != nil || path != nil {
            throw ValidationError("--option, --url and --path configure an adapter kind, not the databases of --config")
        }
        for option in options where !option.contains("=") || option.hasPrefix("=") {
            throw ValidationError("--option '\(option)' is not KEY=VALUE")
        }
        if let unknown = only.first(where: { !ConformanceSuite.checkNames.contains($0) }) {
            throw ValidationError("no check is named '\(unknown)' (see --list)")
        }
    }

    public func run() async throws {
        let write = ConformanceOutput.writeLine
        if list {
            for check in ConformanceSuite.checks { write("\(check.name): \(check.summary)") }
            return
        }
        let registry = Tool.registry
        let databases = try targets(registry: registry)
        var logger = Logger(label: "evalgw.conformance")
        logger.logLevel = .warning
        var passed = 0, failed = 0, skipped = 0
        for database in databases {
            guard let adapter = registry.adapter(kind: database.adapter) else {
                throw ValidationError("unknown adapter '\(database.adapter)' (registered: \(registry.kinds.joined(separator: ", ")))")
            }
            write("== \(database.id) (\(database.adapter))")
            let target = ConformanceTarget(name: database.adapter) { [logger] tables in
                var configuration = database
                configuration.tables = tables
                return try await adapter.makeStore(for: configuration, logger: logger)
            }
            let start = ContinuousClock.now
            for result in await ConformanceSuite(target: target).run(only: only.isEmpty ? nil : Set(only)) {
                write("\(result)")
                switch result.outcome {
                case .passed: passed += 1
                case .failed: failed += 1
                case .skipped: skipped += 1
                }
            }
            write("-- \(database.id): \(ContinuousClock.now - start)")
        }
        write("\(passed) passed, \(failed) failed, \(skipped) skipped")
        if failed > 0 { throw ExitCode.failure }
    }

    /// The databases to test: those of `--config`, the `--adapter` kind, or the tool's default kinds.
    private func targets(registry: AdapterRegistry) throws -> [DatabaseConfiguration] {
        if let config {
            let databases = try Tool.databases(inConfigurationFile: config)
            if let missing = databaseIDs.first(where: { id in !databases.contains { $0.id == id } }) {
                throw ValidationError("\(config) has no database '\(missing)'")
            }
            return databaseIDs.isEmpty ? databases : databases.filter { databaseIDs.contains($0.id) }
        }
        if let adapter { return [try configuration(kind: adapter, registry: registry)] }
        guard !Tool.defaultKinds.isEmpty else {
            throw ValidationError("give --config FILE [--db-id ID] or --adapter KIND (registered: \(registry.kinds.joined(separator: ", ")))")
        }
        return try Tool.defaultKinds.map { try configuration(kind: $0, registry: registry) }
    }

    /// A database of `kind` configured from the flags, with scratch locations for the options left out.
    private func configuration(kind: String, registry: AdapterRegistry) throws -> DatabaseConfiguration {
        guard let adapter = registry.adapter(kind: kind) else {
            throw ValidationError("unknown adapter '\(kind)' (registered: \(registry.kinds.joined(separator: ", ")))")
        }
        var values: [String: ConfigValue] = [:]
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = Self.value(String(parts[1]))
        }
        if let url { values["url"] = .string(url) }
        if let path { values["path"] = .string(path) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-conformance-\(UUID().uuidString)").path
        if adapter.optionKeys.contains("path"), values["path"] == nil { values["path"] = .string(scratch + ".sqlite") }
        if adapter.optionKeys.contains("directory"), values["directory"] == nil { values["directory"] = .string(scratch) }
        let configuration = DatabaseConfiguration(id: kind, adapter: kind, options: AdapterOptions(values, path: "--adapter \(kind)"))
        do {
            try adapter.validate(configuration)
        } catch {
            let key = error.key.split(separator: ".").last.map(String.init) ?? error.key
            throw ValidationError("--adapter \(kind): \(key): \(error.problem) (set it with --option \(key)=VALUE)")
        }
        return configuration
    }

    /// An option value as a configuration file would give it: a boolean, an integer, else a string.
    static func value(_ text: String) -> ConfigValue {
        switch text {
        case "true": .bool(true)
        case "false": .bool(false)
        default: Int(text).map(ConfigValue.integer) ?? .string(text)
        }
    }
}
