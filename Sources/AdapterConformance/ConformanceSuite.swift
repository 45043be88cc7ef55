import EvalGatewayCore

/// The storage contract (``EvalRunStore`` and ``BatchEvaluationStore``) as named, executable checks.
///
/// Any adapter — in this package or another — runs the suite by handing it a ``ConformanceTarget``.
/// Each check gets a fresh store over tables of its own and reports passed, failed (with what went
/// wrong) or skipped (with the capability it lacks); nothing is passed silently. The batch-evaluation
/// job checks run when the store provides a job store (``BatchEvaluationStoreProviding``); a store that
/// keeps no jobs is still conformant for eval runs, and those checks are skipped with that reason.
public struct ConformanceSuite: Sendable {
    /// The adapter under test.
    public let target: ConformanceTarget

    /// A suite for `target`.
    public init(target: ConformanceTarget) { self.target = target }

    /// Every check, in the order they run.
    public static let checks: [ConformanceCheck] =
        RoundTripChecks.all + TextFidelityChecks.all + ListChecks.all + DeleteChecks.all + ConcurrencyChecks.all + ErrorChecks.all
        + FilterDeleteChecks.all + AuditChecks.all + BatchEvaluationChecks.all + BatchEvaluationLeaseChecks.all + BatchEvaluationRaceChecks.all

    /// Why a job check is skipped on a store that provides no job store.
    public static let noJobStoreReason = "adapter keeps no batch-evaluation jobs"

    /// The names of every check.
    public static var checkNames: [String] { checks.map(\.name) }

    /// Runs every check (or those whose names are in `only`) and returns one result each.
    public func run(only: Set<String>? = nil) async -> [ConformanceResult] {
        var results: [ConformanceResult] = []
        for check in Self.checks where only?.contains(check.name) ?? true {
            results.append(await run(check))
        }
        return results
    }

    /// Runs the check named `name`.
    public func run(checkNamed name: String) async -> ConformanceResult {
        guard let check = Self.checks.first(where: { $0.name == name }) else {
            return ConformanceResult(check: name, outcome: .failed("no such check"), seconds: 0)
        }
        return await run(check)
    }

    private func run(_ check: ConformanceCheck) async -> ConformanceResult {
        if let missing = check.requires.subtracting(target.capabilities).first {
            return ConformanceResult(check: check.name, outcome: .skipped("adapter does not declare '\(missing.rawValue)'"), seconds: 0)
        }
        let start = ContinuousClock.now
        let outcome: ConformanceResult.Outcome
        do {
            let context = try await ConformanceContext(target: target)
            if check.needsJobStore, context.jobs == nil {
                await context.store.shutdown()
                return ConformanceResult(check: check.name, outcome: .skipped(Self.noJobStoreReason), seconds: 0)
            }
            do {
                try await check.body(context)
            } catch {
                await context.retireJobs()
                await context.store.shutdown()
                throw error
            }
            await context.retireJobs()
            await context.store.shutdown()
            outcome = .passed
        } catch let failure as ConformanceFailure {
            outcome = .failed(failure.description)
        } catch {
            outcome = .failed("unexpected error: \(error)")
        }
        let seconds = (ContinuousClock.now - start).milliseconds / 1000
        return ConformanceResult(check: check.name, outcome: outcome, seconds: seconds)
    }
}

/// One named check of the contract.
public struct ConformanceCheck: Sendable {
    /// A stable, kebab-case name.
    public let name: String
    /// What the check proves, in one sentence.
    public let summary: String
    /// The capabilities it needs.
    public let requires: Set<ConformanceCapability>
    /// Whether it checks the batch-evaluation job store; it is skipped when the store keeps no jobs.
    public let needsJobStore: Bool
    let body: @Sendable (ConformanceContext) async throws -> Void

    init(
        _ name: String, _ summary: String, requires: Set<ConformanceCapability> = [], needsJobStore: Bool = false,
        body: @escaping @Sendable (ConformanceContext) async throws -> Void
    ) {
        self.name = name
        self.summary = summary
        self.requires = requires
        self.needsJobStore = needsJobStore
        self.body = body
    }
}

/// What a check works with: a fresh store over two tables of its own, and its job store if it keeps jobs.
struct ConformanceContext: Sendable {
    let target: ConformanceTarget
    let store: any EvalRunStore
    /// The store's batch-evaluation jobs, if it keeps any. A persistent store may hold jobs of earlier
    /// runs: job checks name their jobs with ``suffix`` and look only at those.
    let jobs: (any BatchEvaluationStore)?
    /// A random suffix, unique to this check's run.
    let suffix: String
    /// The ids of the jobs this check created, retired (stopped, finished, deleted) after it.
    let createdJobs = JobLedger()
    /// The main table.
    let table: String
    /// A second table of the same store.
    let otherTable: String

    init(target: ConformanceTarget) async throws {
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        self.target = target
        self.table = "conformance_\(suffix)"
        self.otherTable = "conformance_\(suffix)_other"
        self.suffix = suffix
        let store = try await target.makeStore([table, otherTable])
        self.store = store
        self.jobs = (store as? any BatchEvaluationStoreProviding)?.batchEvaluations
    }

    /// Stores `runs` one by one.
    func seed(_ runs: [EvalRun], in table: String? = nil) async throws {
        for run in runs { _ = try await store.createEvalRun(run, in: table ?? self.table) }
    }

    /// All rows of the main table, by listing every page.
    func allRuns(in table: String? = nil) async throws -> [EvalRun] {
        try await store.listEvalRuns(in: table ?? self.table, matching: EvalRunQuery(limit: 1_000_000)).runs
    }

    /// The number of rows in a table.
    func count(in table: String? = nil) async throws -> Int {
        try await store.listEvalRuns(in: table ?? self.table, matching: EvalRunQuery(limit: 1)).totalCount
    }
}

// MARK: - Expectations

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ConformanceFailure(description: message()) }
}

func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    if actual != expected { throw ConformanceFailure(description: "\(what): expected \(expected), got \(actual)") }
}

/// Expects `actual` to be `expected` field by field: text by its bytes, `eval_data` and `eval_input`
/// byte for byte when the adapter declares ``ConformanceCapability/verbatimJSON``, else by meaning.
func expectSameRun(_ actual: EvalRun?, _ expected: EvalRun, _ what: String, _ context: ConformanceContext) throws {
    guard let actual else { throw ConformanceFailure(description: "\(what): expected run '\(expected.id)', got none") }
    let verbatim = context.target.capabilities.contains(.verbatimJSON)
    func same(_ a: JSONText, _ b: JSONText) -> Bool { verbatim ? a == b : a.isEquivalent(to: b) }
    let texts: [(String, String?, String?)] = [
        ("id", actual.id, expected.id), ("agent_id", actual.agentID, expected.agentID), ("model_id", actual.modelID, expected.modelID),
        ("model_provider", actual.modelProvider, expected.modelProvider), ("team_id", actual.teamID, expected.teamID),
        ("workflow_id", actual.workflowID, expected.workflowID), ("name", actual.name, expected.name),
        ("evaluated_component_name", actual.evaluatedComponentName, expected.evaluatedComponentName),
        ("user_id", actual.userID, expected.userID), ("eval_type", actual.evalType.rawValue, expected.evalType.rawValue),
    ]
    for (field, got, want) in texts where !got.isBytewiseEqual(to: want) {
        throw ConformanceFailure(description: "\(what): \(field) expected \(want.map { "'\($0)'" } ?? "null"), got \(got.map { "'\($0)'" } ?? "null")")
    }
    if !same(actual.evalData, expected.evalData) {
        throw ConformanceFailure(description: "\(what): eval_data expected \(expected.evalData), got \(actual.evalData)")
    }
    if !same(actual.evalInput, expected.evalInput) {
        throw ConformanceFailure(description: "\(what): eval_input expected \(expected.evalInput), got \(actual.evalInput)")
    }
    try expectEqual(actual.createdAt, expected.createdAt, "\(what): created_at")
    try expectEqual(actual.updatedAt, expected.updatedAt, "\(what): updated_at")
}

/// Expects `body` to throw a storage error of `kind`.
func expectStorageError(_ kind: StorageError.Kind, _ what: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as StorageError {
        if error.kind != kind { throw ConformanceFailure(description: "\(what): expected a '\(kind.rawValue)' error, got '\(error.kind.rawValue)' (\(error))") }
        return
    } catch {
        throw ConformanceFailure(description: "\(what): expected a '\(kind.rawValue)' StorageError, got \(type(of: error)): \(error)")
    }
    throw ConformanceFailure(description: "\(what): expected a '\(kind.rawValue)' error, but it succeeded")
}

/// A run with a given id and creation time, and a few fields set.
func sampleRun(_ id: String, createdAt: Int64 = 1_700_000_000, type: EvalType = .accuracy, agentID: String? = "agent-1") -> EvalRun {
    EvalRun(
        id: id,
        agentID: agentID,
        modelID: "gpt-4o",
        modelProvider: "openai",
        name: "run \(id)",
        evaluatedComponentName: "Support agent",
        userID: "user-1",
        evalType: type,
        evalData: try! JSONText(validating: #"{"score":8.5,"passed":true}"#),
        evalInput: try! JSONText(validating: #"{"input":"What is 2+2?"}"#),
        createdAt: createdAt,
        updatedAt: createdAt
    )
}

/// Expects `actual` to hold each of `expected` exactly once, in any order, comparing bytes.
func expectSameIDs(_ actual: [String]?, _ expected: [String], _ what: String) throws {
    guard let actual else { throw ConformanceFailure(description: "\(what): expected \(expected.sorted()), got none") }
    let reported = actual.map(BytewiseString.init)
    let wanted = Set(expected.map(BytewiseString.init))
    guard reported.count == Set(reported).count, Set(reported) == wanted else {
        throw ConformanceFailure(description: "\(what): expected \(wanted.map(\.string).sorted()), got \(actual.sorted())")
    }
}
