import EvalGatewayCore

/// Concurrency: readers never see half a delete; overlapping deletes remove each row once in total.
enum ConcurrencyChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("delete-is-atomic-for-readers", "A reader running beside a bulk delete sees all of its rows or none.") { context in
            let batch = (0..<2_000).map { "atomic-\($0)" }
            try await context.seed(batch.map { sampleRun($0) })
            let store = context.store
            let table = context.table
            let observed = try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    _ = try await store.deleteEvalRuns(ids: batch, in: table, returningRemovedIDs: false, audit: .forTests())
                    return []
                }
                group.addTask {
                    var counts: [Int] = []
                    for _ in 0..<200 {
                        let count = try await store.listEvalRuns(in: table, matching: EvalRunQuery(limit: 1)).totalCount
                        counts.append(count)
                        if count == 0 { break }
                        await Task.yield()
                    }
                    return counts
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let partial = observed.filter { $0 != 0 && $0 != batch.count }
            try expect(partial.isEmpty, "a reader saw a partial delete: counts \(Set(partial).sorted().prefix(5))")
        },
        ConformanceCheck("delete-is-all-or-nothing", "A delete that fails part-way (an invalid id last) removes nothing.") { context in
            try await context.seed((0..<50).map { sampleRun("keep-\($0)") })
            try await expectStorageError(.invalid, "delete with an invalid id last") {
                _ = try await context.store.deleteEvalRuns(ids: (0..<50).map { "keep-\($0)" } + ["bad\u{0}"], in: context.table, returningRemovedIDs: false, audit: .forTests())
            }
            try expectEqual(try await context.count(), 50, "rows left after the failed delete")
        },
        ConformanceCheck("overlapping-deletes-count-each-row-once", "16 concurrent deletes of overlapping id sets remove every row, and their counts add up to the rows.") { context in
            let rows = 1_000
            try await context.seed((0..<rows).map { sampleRun("o-\($0)") })
            let store = context.store
            let table = context.table
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        // Each worker asks for a window of 250 ids starting at its own offset: every row is
                        // requested by four workers.
                        let ids = (0..<250).map { "o-\((worker * 63 + $0) % rows)" }.shuffled()
                        return try await store.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: false, audit: .forTests()).deletedCount
                    }
                }
                return try await group.reduce(0, +)
            }
            let requested = Set((0..<16).flatMap { worker in (0..<250).map { (worker * 63 + $0) % rows } })
            try expectEqual(total, requested.count, "sum of the counts")
            try expectEqual(try await context.count(), rows - requested.count, "rows left")
        },
    ]
}
