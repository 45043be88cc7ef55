public import EvalGatewayCore
public import Logging

/// The `memory` adapter kind: eval runs held in process memory, lost at restart.
///
/// A product adapter, not a test double: it keeps the same contract as the SQL adapters (ordering,
/// pagination, timestamps, atomic bulk delete) and is safe under concurrent requests.
public struct MemoryAdapter: StorageAdapter {
    /// Creates the adapter kind.
    public init() {}

    public var kind: String { "memory" }
    public var optionKeys: Set<String> { [] }

    public func makeStore(for configuration: DatabaseConfiguration, logger: Logger) async throws -> any EvalRunStore {
        MemoryEvalRunStore(tables: configuration.tables)
    }
}
