public import EvalGatewayCore

/// What an adapter hands the conformance suite: a way to open a fresh, empty store over given tables,
/// and the optional capabilities it declares.
///
/// ```swift
/// let target = ConformanceTarget(name: "sqlite") { tables in
///     SQLiteEvalRunStore(path: temporaryFile(), tables: tables)
/// }
/// let results = await ConformanceSuite(target: target).run()
/// ```
public struct ConformanceTarget: Sendable {
    /// The adapter's name, for reports.
    public var name: String
    /// The optional capabilities the adapter declares; checks that need one it lacks are skipped.
    public var capabilities: Set<ConformanceCapability>
    /// Opens a store whose tables (named by the suite, unique per check) are empty.
    public var makeStore: @Sendable (_ tables: [String]) async throws -> any EvalRunStore
    /// Makes the backend of a store unreachable and returns a closure that brings it back
    /// (for ``ConformanceCapability/outageSimulation``).
    public var simulateOutage: (@Sendable (_ store: any EvalRunStore) async throws -> @Sendable () async throws -> Void)?

    /// Describes an adapter under test.
    public init(
        name: String,
        capabilities: Set<ConformanceCapability> = [],
        simulateOutage: (@Sendable (_ store: any EvalRunStore) async throws -> @Sendable () async throws -> Void)? = nil,
        makeStore: @escaping @Sendable (_ tables: [String]) async throws -> any EvalRunStore
    ) {
        self.name = name
        self.capabilities = capabilities
        self.simulateOutage = simulateOutage
        self.makeStore = makeStore
        if simulateOutage != nil { self.capabilities.insert(.outageSimulation) }
    }
}

/// Optional capabilities: what a check needs beyond the contract every adapter keeps.
public enum ConformanceCapability: String, Sendable, CaseIterable {
    /// The test can take the backend down and bring it back (see ``ConformanceTarget/simulateOutage``).
    case outageSimulation = "outage-simulation"
    /// The store keeps rows when it is reopened over the same backend.
    case persistence
    /// The store gives `eval_data` and `eval_input` back byte for byte as they were written (member order,
    /// number spelling, escapes, whitespace), as SQLite, memory and a Postgres `json` column do; a
    /// `jsonb` column keeps only the meaning.
    case verbatimJSON = "verbatim-json"
}
