public import EvalGatewayCore
public import Logging

/// The `jsonfile` adapter kind: each table is a JSON file in `directory`, rewritten atomically (write to
/// a temporary file, then rename) after every change. Written against `EvalGatewayCore`'s public API only.
///
/// Register it in the registry a gateway starts with:
///
///     registry.register(JSONFileAdapter())
///
/// and name it in configuration:
///
///     databases:
///       - { id: files, adapter: jsonfile, directory: ./data/runs }
public struct JSONFileAdapter: StorageAdapter {
    /// Creates the adapter kind.
    public init() {}

    public var kind: String { "jsonfile" }
    public var optionKeys: Set<String> { ["directory"] }

    public func validate(_ configuration: DatabaseConfiguration) throws(ConfigurationError) {
        _ = try configuration.options.requiredString("directory")
        for (index, table) in configuration.tables.enumerated() where table.contains("/") || table.hasPrefix(".") {
            throw ConfigurationError(key: "\(configuration.options.path).tables[\(index)]", problem: "'\(table)' cannot be a file name")
        }
    }

    public func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore {
        try validate(configuration)
        return try JSONFileStore(directory: try configuration.options.requiredString("directory"), tables: configuration.tables)
    }
}
