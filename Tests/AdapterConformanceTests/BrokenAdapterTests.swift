import AdapterConformance
import EvalGatewayCore
import MemoryAdapter
import Testing

/// The suite has teeth: adapters broken in one way each fail the check that guards that rule, and a
/// correct adapter passes every check.
@Suite struct BrokenAdapterTests {
    /// Wraps the memory store and breaks one rule of the contract.
    final class BrokenStore: EvalRunStore, BatchEvaluationStoreProviding {
        enum Flaw {
            case nonAtomicDelete, cappedIDList, doubleCounting, wrongErrorTypes, unconditionalJobDelete, canonicalIDs, reencodedJSON
            case auditBeforeTheDelete, unboundedFilterBatches, noAudit
        }
        let base: MemoryEvalRunStore
        let flaw: Flaw
        /// Jobs only for the job-store flaw; with the others the store keeps none (job checks skip).
        let batchEvaluations: (any BatchEvaluationStore)?

        init(tables: [String], flaw: Flaw) {
            self.base = MemoryEvalRunStore(tables: tables)
            self.flaw = flaw
            self.batchEvaluations = flaw == .unconditionalJobDelete ? UnconditionalDeleteJobStore() : nil
        }

        struct DriverError: Error {}

        func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage {
            try await base.listEvalRuns(in: table, matching: query)
        }
        func evalRun(id: String, in table: String) async throws -> EvalRun? {
            if flaw == .canonicalIDs { return try await canonicalMatch(id, in: table) }
            return try await base.evalRun(id: id, in: table)
        }
        func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun {
            if flaw == .wrongErrorTypes, try await base.evalRun(id: run.id, in: table) != nil { throw DriverError() }
            if flaw == .canonicalIDs, try await canonicalMatch(run.id, in: table) != nil {
                throw StorageError.conflict("An eval run with id '\(run.id)' already exists")
            }
            if flaw == .reencodedJSON {
                // Parsed into a tree and written back: sorted keys, 2.0 as 2, big integers as doubles.
                var reencoded = run
                reencoded.evalData = JSONText(try run.evalData.parsed())
                reencoded.evalInput = JSONText(try run.evalInput.parsed())
                return try await base.createEvalRun(reencoded, in: table)
            }
            return try await base.createEvalRun(run, in: table)
        }
        /// The first run whose id is `==` to `id` (Swift's canonical equivalence, not bytes).
        private func canonicalMatch(_ id: String, in table: String) async throws -> EvalRun? {
            try await base.listEvalRuns(in: table, matching: EvalRunQuery(limit: 1_000_000)).runs.first { $0.id == id }
        }
        func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun {
            if flaw == .wrongErrorTypes, try await base.evalRun(id: id, in: table) == nil {
                throw StorageError.internal(underlying: "UPDATE 0")
            }
            return try await base.renameEvalRun(id: id, to: name, at: timestamp, in: table)
        }
        func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion {
            switch flaw {
            case .auditBeforeTheDelete:
                // The record written on its own, before the delete: it stays when the delete fails.
                _ = try await base.deleteEvalRuns(ids: [], in: table, returningRemovedIDs: false, audit: audit)
                var unrecorded = audit
                unrecorded.principal = "nobody"
                return try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs, audit: unrecorded)
            case .noAudit:
                var unrecorded = audit
                unrecorded.principal = "nobody"
                return try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs, audit: unrecorded)
            case .nonAtomicDelete:
                // One id at a time, validating as it goes: readers see halves, failures leave halves.
                var count = 0
                for (index, id) in ids.enumerated() {
                    count += try await base.deleteEvalRuns(ids: [id], in: table, returningRemovedIDs: false, audit: audit).deletedCount
                    if index % 50 == 0 { try await Task.sleep(for: .milliseconds(1)) }
                }
                return EvalRunDeletion(deletedCount: count, removedIDs: nil)
            case .cappedIDList:
                if ids.count > 65_535 { throw StorageError.internal(underlying: "too many bind parameters") }
            case .doubleCounting:
                let result = try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs, audit: audit)
                return EvalRunDeletion(deletedCount: result.deletedCount == 0 ? 0 : ids.count, removedIDs: result.removedIDs)
            case .canonicalIDs:
                // Deletes whatever run is `==` to each id: a spelling removes its look-alike too.
                let stored = try await base.listEvalRuns(in: table, matching: EvalRunQuery(limit: 1_000_000)).runs
                let byCanonicalID = Dictionary(stored.map { ($0.id, $0.id) }, uniquingKeysWith: { first, _ in first })
                let matched = ids.map { byCanonicalID[$0] ?? $0 }
                return try await base.deleteEvalRuns(ids: matched, in: table, returningRemovedIDs: returningRemovedIDs, audit: audit)
            case .wrongErrorTypes, .unconditionalJobDelete, .reencodedJSON, .unboundedFilterBatches:
                break
            }
            return try await base.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: returningRemovedIDs, audit: audit)
        }
        func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
            // The flaw: the limit is ignored, one batch takes every match.
            let batch = try await base.deleteEvalRuns(matching: filter, in: table, limit: flaw == .unboundedFilterBatches ? Int.max : limit, audit: audit)
            return flaw == .unboundedFilterBatches ? EvalRunBatchDeletion(deletedCount: batch.deletedCount, hasMore: false) : batch
        }
        func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int {
            try await base.countEvalRuns(matching: filter, in: table)
        }
        func auditRecords(matching query: AuditQuery) async throws -> AuditPage {
            try await base.auditRecords(matching: query)
        }
        func ping() async throws {}
        func shutdown() async {}
    }

    static func failures(_ flaw: BrokenStore.Flaw) async -> Set<String> {
        let target = ConformanceTarget(name: "broken") { tables in BrokenStore(tables: tables, flaw: flaw) }
        let results = await ConformanceSuite(target: target).run()
        return Set(results.filter { !$0.didNotFail }.map(\.check))
    }

    @Test func aNonAtomicDeleteFailsTheAtomicityChecks() async {
        let failed = await Self.failures(.nonAtomicDelete)
        #expect(failed.contains("delete-is-atomic-for-readers"))
        #expect(failed.contains("delete-is-all-or-nothing"))
        #expect(!failed.contains("create-then-get-round-trips"))
    }

    @Test func aCappedIDListFailsTheLargeDelete() async {
        let failed = await Self.failures(.cappedIDList)
        #expect(failed == ["delete-65536-ids", "delete-200000-ids"])
    }

    @Test func doubleCountingFailsTheCountChecks() async {
        let failed = await Self.failures(.doubleCounting)
        #expect(failed.contains("delete-returns-exact-count"))
        #expect(failed.contains("delete-collapses-duplicates"))
        #expect(failed.contains("overlapping-deletes-count-each-row-once"))
    }

    @Test func wrongErrorTypesFailTheErrorChecks() async {
        let failed = await Self.failures(.wrongErrorTypes)
        #expect(failed == ["duplicate-create-is-conflict", "rename-missing-is-not-found"])
    }

    @Test func aDeleteThatIgnoresTheJobStateFailsTheConditionalDeleteChecks() async {
        let failed = await Self.failures(.unconditionalJobDelete)
        #expect(failed.contains("job-delete-only-when-terminal"))
        #expect(failed.contains("job-delete-races-never-remove-running-jobs"))
        #expect(!failed.contains("job-create-then-get-round-trips"))
        #expect(!failed.contains("job-claim-is-exclusive"))
        #expect(failed.allSatisfy { $0.hasPrefix("job-") }, "eval-run checks failed: \(failed.filter { !$0.hasPrefix("job-") })")
    }

    @Test func idsComparedByCanonicalEquivalenceFailTheByteExactCheck() async {
        let failed = await Self.failures(.canonicalIDs)
        #expect(failed == ["ids-byte-exact"])
    }

    @Test func reencodedJSONFailsTheJSONChecks() async {
        let target = ConformanceTarget(name: "broken", capabilities: [.verbatimJSON]) { tables in BrokenStore(tables: tables, flaw: .reencodedJSON) }
        let results = await ConformanceSuite(target: target).run()
        let failed = Set(results.filter { !$0.didNotFail }.map(\.check))
        #expect(failed.contains("json-kept-as-sent"))
        // A tree holds 12345678901234567890 as a Double: even the meaning is lost.
        #expect(failed.contains("json-round-trips-by-meaning"))
        #expect(failed.contains("create-then-get-round-trips"))
        #expect(!failed.contains("delete-returns-exact-count"))
        #expect(!failed.contains("ids-byte-exact"))
    }

    @Test func anAuditRecordWrittenApartFromTheDeleteFailsTheAuditChecks() async {
        let failed = await Self.failures(.auditBeforeTheDelete)
        #expect(failed.contains("audit-record-only-when-the-delete-commits"))
        #expect(failed.contains("audit-record-per-delete-by-ids"))
        #expect(!failed.contains("delete-returns-exact-count"))
    }

    @Test func aDeleteWithoutAuditRecordFailsTheAuditChecks() async {
        let failed = await Self.failures(.noAudit)
        #expect(failed.contains("audit-record-per-delete-by-ids"))
        #expect(failed.contains("audit-concurrent-deletes-each-recorded"))
        #expect(failed.allSatisfy { $0.hasPrefix("audit-") }, "other checks failed: \(failed.filter { !$0.hasPrefix("audit-") })")
    }

    @Test func filterBatchesThatIgnoreTheLimitFailTheBatchCheck() async {
        let failed = await Self.failures(.unboundedFilterBatches)
        #expect(failed == ["filter-delete-batches-are-bounded", "audit-record-per-filter-batch"])
    }

    @Test func aStoreWithoutJobsSkipsEveryJobCheckWithTheReason() async {
        let target = ConformanceTarget(name: "no-jobs") { tables in BrokenStore(tables: tables, flaw: .wrongErrorTypes) }
        let jobChecks = ConformanceSuite.checks.filter(\.needsJobStore).map(\.name)
        #expect(jobChecks.count == 12)
        let results = await ConformanceSuite(target: target).run(only: Set(jobChecks))
        #expect(results.map(\.check) == jobChecks)
        #expect(results.allSatisfy { $0.outcome == .skipped("adapter keeps no batch-evaluation jobs") }, "\(results)")
    }

    @Test func aCorrectAdapterPassesEveryCheckAndSkipsOnlyWithAReason() async {
        let target = ConformanceTarget(name: "memory", capabilities: [.verbatimJSON]) { tables in MemoryEvalRunStore(tables: tables) }
        let results = await ConformanceSuite(target: target).run()
        #expect(results.count == ConformanceSuite.checks.count)
        #expect(results.allSatisfy { $0.outcome == .passed || $0.outcome == .skipped("adapter does not declare 'outage-simulation'") }, "\(results.filter { $0.outcome != .passed })")
        #expect(results.filter { $0.outcome != .passed }.map(\.check) == ["outage-is-unavailable-and-recovers"])
    }
}
