import EvalGatewayCore

/// Bulk delete: exact counts, idempotence, duplicates, reported ids, sizes past every driver limit.
enum DeleteChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("delete-returns-exact-count", "A delete returns exactly the number of rows removed; missing ids are not errors.") { context in
            try await context.seed((0..<10).map { sampleRun("d\($0)") })
            let deletion = try await context.store.deleteEvalRuns(ids: ["d1", "d3", "missing", "d5"], in: context.table, returningRemovedIDs: false, audit: .forTests())
            try expectEqual(deletion.deletedCount, 3, "rows deleted")
            try expectEqual(try await context.count(), 7, "rows left")
            try expect(try await context.store.evalRun(id: "d3", in: context.table) == nil, "a deleted run is still there")
            try expect(try await context.store.evalRun(id: "d4", in: context.table) != nil, "a run not asked for is gone")
        },
        ConformanceCheck("delete-is-idempotent", "Deleting the same ids again removes nothing and reports 0.") { context in
            try await context.seed([sampleRun("a"), sampleRun("b")])
            try expectEqual(try await context.store.deleteEvalRuns(ids: ["a", "b"], in: context.table, returningRemovedIDs: false, audit: .forTests()).deletedCount, 2, "first delete")
            try expectEqual(try await context.store.deleteEvalRuns(ids: ["a", "b"], in: context.table, returningRemovedIDs: false, audit: .forTests()).deletedCount, 0, "second delete")
        },
        ConformanceCheck("delete-collapses-duplicates", "Duplicate ids in one request count once.") { context in
            try await context.seed([sampleRun("a"), sampleRun("b")])
            let deletion = try await context.store.deleteEvalRuns(ids: ["a", "a", "a", "b", "a"], in: context.table, returningRemovedIDs: true, audit: .forTests())
            try expectEqual(deletion.deletedCount, 2, "rows deleted")
            try expectSameIDs(deletion.removedIDs, ["a", "b"], "ids reported removed")
        },
        ConformanceCheck("delete-reports-removed-ids", "Asked for them, a delete reports exactly the ids it removed.") { context in
            try await context.seed([sampleRun("x"), sampleRun("y"), sampleRun("z")])
            let deletion = try await context.store.deleteEvalRuns(ids: ["x", "nope", "z"], in: context.table, returningRemovedIDs: true, audit: .forTests())
            try expectSameIDs(deletion.removedIDs, ["x", "z"], "ids reported removed")
            try expectEqual(deletion.deletedCount, 2, "rows deleted")
        },
        ConformanceCheck("delete-65536-ids", "One delete of 65,536 ids (past Postgres's 65,535-parameter cap) works and counts exactly.") { context in
            try await deleteMany(65_536, context)
        },
        ConformanceCheck("delete-200000-ids", "One delete of 200,000 ids works and counts exactly.") { context in
            try await deleteMany(200_000, context)
        },
    ]

    /// Seeds 500 rows spread through `count` ids and deletes all `count` ids in one call.
    static func deleteMany(_ count: Int, _ context: ConformanceContext) async throws {
        let ids = (0..<count).map { "bulk-\($0)" }
        let stride = count / 500
        let present = Swift.stride(from: 0, to: count, by: stride).map { ids[$0] } + [ids[count - 1]]
        try await context.seed(Set(present).map { sampleRun($0) })
        try await context.seed([sampleRun("survivor")])
        let deletion = try await context.store.deleteEvalRuns(ids: ids, in: context.table, returningRemovedIDs: false, audit: .forTests())
        try expectEqual(deletion.deletedCount, Set(present).count, "rows deleted by \(count) ids")
        try expectEqual(try await context.count(), 1, "rows left")
    }
}
