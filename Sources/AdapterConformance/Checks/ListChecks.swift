import EvalGatewayCore

/// Listing: filters, pagination and every sort order, checked against the contract's reference order.
enum ListChecks {
    /// A varied set of runs: several agents, teams, workflows and types, equal timestamps, nulls.
    static func fixture() -> [EvalRun] {
        let types: [EvalType] = [.accuracy, .performance, .reliability, .agentAsJudge]
        return (0..<23).map { index in
            var run = sampleRun(runID(index), createdAt: 1_700_000_000 + Int64(index % 7) * 60, type: types[index % 4], agentID: index % 3 == 0 ? nil : "agent-\(index % 2)")
            run.teamID = index % 3 == 0 ? "team-\(index % 2)" : nil
            run.workflowID = index % 5 == 0 ? "wf-1" : nil
            run.modelID = index % 4 == 0 ? nil : "model-\(index % 3)"
            run.name = index % 6 == 0 ? nil : "Name \(22 - index)"
            run.updatedAt = index % 4 == 1 ? nil : 1_800_000_000 - Int64(index)
            return run
        }
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("list-default-is-newest-first", "Without a sort, runs come newest first, ties by run id descending.") { context in
            let runs = fixture()
            try await context.seed(runs.shuffled())
            let page = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(limit: 100))
            let expected = runs.sorted(by: EvalRunOrdering(column: .createdAt, order: .descending).areInIncreasingOrder)
            try expectEqual(page.runs.map(\.id), expected.map(\.id), "the default order")
            try expectEqual(page.totalCount, runs.count, "total_count")
        },
        ConformanceCheck("list-sorts-every-column", "Every sortable column sorts as the reference ordering says, both directions, nulls included.") { context in
            let runs = fixture()
            try await context.seed(runs)
            for column in EvalRunColumn.allCases {
                for order in SortOrder.allCases {
                    let page = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(limit: 100, sortBy: column, sortOrder: order))
                    let expected = runs.sorted(by: EvalRunOrdering(column: column, order: order).areInIncreasingOrder)
                    try expectEqual(page.runs.map(\.id), expected.map(\.id), "order by \(column.rawValue) \(order.rawValue)")
                }
            }
        },
        ConformanceCheck("list-pages-partition-the-rows", "Pages of every size cover each row exactly once; a page past the end is empty with the right total.") { context in
            let runs = fixture()
            try await context.seed(runs)
            for limit in [1, 5, 7, 23, 50] {
                var seen: [String] = []
                var page = 1
                while true {
                    let result = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(limit: limit, page: page, sortBy: .createdAt, sortOrder: .ascending))
                    try expectEqual(result.totalCount, runs.count, "total_count at limit \(limit) page \(page)")
                    if result.runs.isEmpty { break }
                    try expect(result.runs.count <= limit, "page \(page) has \(result.runs.count) rows, more than the limit \(limit)")
                    seen += result.runs.map(\.id)
                    page += 1
                }
                try expectEqual(seen.count, runs.count, "rows over all pages at limit \(limit)")
                try expectEqual(Set(seen), Set(runs.map(\.id)), "the rows over all pages at limit \(limit)")
            }
        },
        ConformanceCheck("list-filters-match-reference", "Each filter, alone and combined, returns exactly the rows the reference predicate keeps.") { context in
            let runs = fixture()
            try await context.seed(runs)
            let queries: [EvalRunQuery] = [
                EvalRunQuery(agentID: "agent-1"),
                EvalRunQuery(teamID: "team-0"),
                EvalRunQuery(workflowID: "wf-1"),
                EvalRunQuery(modelID: "model-2"),
                EvalRunQuery(componentType: .agent),
                EvalRunQuery(componentType: .team),
                EvalRunQuery(componentType: .workflow),
                EvalRunQuery(evalTypes: [.accuracy]),
                EvalRunQuery(evalTypes: [.performance, .agentAsJudge]),
                EvalRunQuery(agentID: "agent-0", evalTypes: [.reliability, .accuracy]),
                EvalRunQuery(agentID: "nobody"),
            ]
            for var query in queries {
                query.limit = 100
                let page = try await context.store.listEvalRuns(in: context.table, matching: query)
                let expected = runs.filter(query.matches).sorted(by: EvalRunOrdering(column: .createdAt, order: .descending).areInIncreasingOrder)
                try expectEqual(page.runs.map(\.id), expected.map(\.id), "rows for \(query)")
                try expectEqual(page.totalCount, expected.count, "total_count for \(query)")
                for run in page.runs {
                    try expectEqual(try await context.store.evalRun(id: run.id, in: context.table), run, "get of listed run \(run.id)")
                }
            }
        },
    ]
}

private func runID(_ index: Int) -> String {
    index < 10 ? "run-0\(index)" : "run-\(index)"
}
