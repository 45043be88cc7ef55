import EvalGatewayCore

/// Delete by filter: only matching rows go, counts are exact, batches are bounded, an empty filter is
/// refused, and a count (the dry run) deletes nothing.
enum FilterDeleteChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck(
            "filter-delete-removes-only-matching-rows",
            "A delete by filter removes exactly the rows meeting every condition (text by bytes, time bounds, eval types), counts them exactly, and leaves every other row."
        ) { context in
            let rows = filterFixture()
            try await context.seed(rows)
            let cases: [(String, EvalRunFilter)] = [
                ("user_id", EvalRunFilter(userID: "u-1")),
                ("user_id with a composed accent", EvalRunFilter(userID: "caf\u{E9}")),
                ("agent_id and eval_types", EvalRunFilter(agentID: "agent-b", evalTypes: [.performance, .reliability])),
                ("created_after and created_before", EvalRunFilter(createdBefore: 1_700_000_300, createdAfter: 1_700_000_100)),
                ("team_id, workflow_id and model_id", EvalRunFilter(teamID: "team-x", workflowID: "wf-x", modelID: "m-x")),
            ]
            var remaining = rows
            for (what, filter) in cases {
                let expected = remaining.filter(filter.matches)
                try expect(!expected.isEmpty, "fixture: \(what) matches no row")
                try expectEqual(try await context.store.countEvalRuns(matching: filter, in: context.table), expected.count, "count of \(what)")
                let batch = try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 1_000, audit: context.filterAudit(filter))
                try expectEqual(batch.deletedCount, expected.count, "rows deleted by \(what)")
                try expect(!batch.hasMore, "\(what): more rows reported after a batch that took them all")
                remaining.removeAll(where: filter.matches)
                let left = try await context.allRuns()
                try expectSameIDs(left.map(\.id), remaining.map(\.id), "rows left after the delete by \(what)")
                try expectEqual(try await context.store.countEvalRuns(matching: filter, in: context.table), 0, "count of \(what) after its delete")
            }
            try expectEqual(try await context.count(in: context.otherTable), 0, "rows of the other table")
        },
        ConformanceCheck(
            "filter-delete-batches-are-bounded",
            "A batch removes at most its limit and says whether matching rows remain; batches add up to every matching row, and a batch once none match removes nothing."
        ) { context in
            try await context.seed((0..<10).map { index in
                var run = sampleRun("b-\(index)", createdAt: 1_700_000_000 + Int64(index))
                run.userID = "u-batch"
                return run
            } + [sampleRun("other")])
            let filter = EvalRunFilter(userID: "u-batch")
            var counts: [Int] = []
            var hasMore = true
            while hasMore, counts.count < 10 {
                let batch = try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 3, audit: context.filterAudit(filter))
                try expect(batch.deletedCount <= 3, "a batch of limit 3 removed \(batch.deletedCount) rows")
                counts.append(batch.deletedCount)
                hasMore = batch.hasMore
                try expectEqual(try await context.count(), 11 - counts.reduce(0, +), "rows left after \(counts.count) batches")
            }
            try expectEqual(counts, [3, 3, 3, 1], "rows removed by each batch of 3")
            let after = try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 3, audit: context.filterAudit(filter))
            try expectEqual(after, EvalRunBatchDeletion(deletedCount: 0, hasMore: false), "a batch once nothing matches")
            try expect(try await context.store.evalRun(id: "other", in: context.table) != nil, "a row of another user is gone")
            // Exactly a multiple of the limit: the last full batch knows nothing is left.
            try await context.seed((0..<4).map { index in
                var run = sampleRun("m-\(index)")
                run.userID = "u-multiple"
                return run
            })
            let multiple = EvalRunFilter(userID: "u-multiple")
            let first = try await context.store.deleteEvalRuns(matching: multiple, in: context.table, limit: 2, audit: context.filterAudit(multiple))
            let second = try await context.store.deleteEvalRuns(matching: multiple, in: context.table, limit: 2, audit: context.filterAudit(multiple))
            try expectEqual([first, second], [EvalRunBatchDeletion(deletedCount: 2, hasMore: true), EvalRunBatchDeletion(deletedCount: 2, hasMore: false)], "two batches of 2 over 4 rows")
        },
        ConformanceCheck(
            "filter-delete-refuses-an-empty-filter",
            "A delete by filter or a count without any condition fails with 'invalid', removes nothing and writes no audit record."
        ) { context in
            try await context.seed([sampleRun("a"), sampleRun("b")])
            try await expectStorageError(.invalid, "a delete with an empty filter") {
                _ = try await context.store.deleteEvalRuns(matching: EvalRunFilter(), in: context.table, limit: 100, audit: context.filterAudit(EvalRunFilter()))
            }
            try await expectStorageError(.invalid, "a count with an empty filter") {
                _ = try await context.store.countEvalRuns(matching: EvalRunFilter(), in: context.table)
            }
            try await expectStorageError(.invalid, "a delete with a NUL in a filter value") {
                let filter = EvalRunFilter(userID: "user-1\u{0}")
                _ = try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 100, audit: context.filterAudit(filter))
            }
            try expectEqual(try await context.count(), 2, "rows left")
            try expectEqual(try await context.auditTrail().count, 0, "audit records of refused deletes")
        },
        ConformanceCheck("filter-count-is-a-dry-run", "Counting the rows a filter matches (a dry run) reports them exactly and deletes nothing.") { context in
            let rows = filterFixture()
            try await context.seed(rows)
            let filter = EvalRunFilter(userID: "u-1", createdBefore: 1_700_000_300)
            let expected = rows.filter(filter.matches).count
            try expect(expected > 0, "fixture: the filter matches no row")
            try expectEqual(try await context.store.countEvalRuns(matching: filter, in: context.table), expected, "rows counted")
            try expectEqual(try await context.store.countEvalRuns(matching: filter, in: context.table), expected, "rows counted again")
            try expectEqual(try await context.count(), rows.count, "rows after two counts")
            try expectEqual(try await context.auditTrail().count, 0, "audit records written by counts")
        },
    ]

    /// Rows spread over every filter key: users (two spellings of `café` among them), agents, teams,
    /// workflows, models, types and times.
    static func filterFixture() -> [EvalRun] {
        let users = ["u-1", "u-2", "caf\u{E9}", "cafe\u{301}", nil]
        let agents = ["agent-a", "agent-b", nil]
        return (0..<30).map { index in
            var run = sampleRun("f-\(index)", createdAt: 1_700_000_000 + Int64(index) * 20, type: EvalType.known[index % 4], agentID: agents[index % 3])
            run.userID = users[index % 5]
            if index % 7 == 3 {
                run.teamID = "team-x"
                run.workflowID = "wf-x"
                run.modelID = "m-x"
            }
            return run
        }
    }
}
