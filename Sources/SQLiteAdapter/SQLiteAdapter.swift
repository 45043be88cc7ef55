public import EvalGatewayCore
public import Logging
import Foundation

/// The `sqlite` adapter kind: eval runs in an SQLite file, in Agno's `agno_eval_runs` schema.
///
/// Options: `path` (required; parent folders are created), `busy_timeout_ms` (default 5000).
/// The file is opened in WAL mode with `synchronous=FULL`; missing tables and indexes are created, and
/// an existing Agno-made file is served as it is.
public struct SQLiteAdapter: StorageAdapter {
    /// Creates the adapter kind.
    public init() {}

    public var kind: String { "sqlite" }
    public var optionKeys: Set<String> { ["path", "busy_timeout_ms"] }

    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {
        _ = try configuration.options.requiredString("path")
        _ = try configuration.options.integer("busy_timeout_ms", in: 0...600_000)
        for (index, table) in configuration.tables.enumerated() where table.contains("\"") || table.contains("\0") {
            throw ConfigurationError(key: "\(configuration.options.path).tables[\(index)]", problem: "'\(table)' is not a usable table name")
        }
    }

    public func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore {
        try validate(configuration)
        let path = try configuration.options.requiredString("path")
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let busyTimeout = try configuration.options.integer("busy_timeout_ms") ?? 5000
        return try await SQLiteEvalRunStore(path: path, tables: configuration.tables, busyTimeoutMilliseconds: Int32(busyTimeout))
    }
}
