import EvalGatewayCore

/// Typed errors: not found, conflict, unavailable — never a driver's own error type.
enum ErrorChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("duplicate-create-is-conflict", "Creating a run whose id exists fails with 'conflict' and keeps the original.") { context in
            try await context.seed([sampleRun("dup")])
            var second = sampleRun("dup")
            second.name = "second"
            try await expectStorageError(.conflict, "the second create") {
                _ = try await context.store.createEvalRun(second, in: context.table)
            }
            try expectEqual(try await context.store.evalRun(id: "dup", in: context.table)?.name, "run dup", "the original's name")
        },
        ConformanceCheck("rename-missing-is-not-found", "Renaming an id that does not exist fails with 'not found'.") { context in
            try await expectStorageError(.notFound, "rename of a missing id") {
                _ = try await context.store.renameEvalRun(id: "ghost", to: "x", at: 1_700_000_000, in: context.table)
            }
        },
        ConformanceCheck(
            "outage-is-unavailable-and-recovers",
            "With the backend down every operation fails with 'unavailable' and deletes (and audits) nothing; when it is back, calls succeed without reopening.",
            requires: [.outageSimulation]
        ) { context in
            try await context.seed([sampleRun("survivor")])
            let restore = try await context.target.simulateOutage!(context.store)
            do {
                try await expectStorageError(.unavailable, "ping during the outage") { try await context.store.ping() }
                try await expectStorageError(.unavailable, "delete during the outage") {
                    _ = try await context.store.deleteEvalRuns(ids: ["survivor"], in: context.table, returningRemovedIDs: false, audit: context.idsAudit(["survivor"]))
                }
                try await expectStorageError(.unavailable, "list during the outage") {
                    _ = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery())
                }
            } catch {
                try await restore()
                throw error
            }
            try await restore()
            try await context.store.ping()
            try expectEqual(try await context.count(), 1, "rows after the outage")
            try expectEqual(try await context.auditTrail().count, 0, "audit records of the delete that failed during the outage")
        },
    ]
}
