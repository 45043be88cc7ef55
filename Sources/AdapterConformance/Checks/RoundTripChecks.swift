import EvalGatewayCore

/// Storing and reading back: every field, every kind of text and JSON, timestamps, renames.
enum RoundTripChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("create-then-get-round-trips", "A stored run reads back equal, every field included.") { context in
            let run = EvalRun(
                id: "run-1", agentID: "agent-1", modelID: "gpt-4o", modelProvider: "openai", teamID: "team-1",
                workflowID: "wf-1", name: "First run", evaluatedComponentName: "Support agent", userID: "user-1",
                evalType: .reliability,
                evalData: try JSONText(validating: #"{"score":8.25,"count":3,"ok":true,"none":null,"list":[1,"two",{"three":3}]}"#),
                evalInput: try JSONText(validating: #"{"prompt":"2+2?","expected":"4"}"#),
                createdAt: 1_700_000_123, updatedAt: 1_700_000_456
            )
            let created = try await context.store.createEvalRun(run, in: context.table)
            try expectSameRun(created, run, "the created run", context)
            try expectSameRun(try await context.store.evalRun(id: "run-1", in: context.table), run, "the run read back", context)
        },
        ConformanceCheck("optional-fields-stay-null", "Fields left out read back as null, not as empty strings.") { context in
            let run = EvalRun(id: "bare", evalType: .performance, createdAt: 1_700_000_000)
            _ = try await context.store.createEvalRun(run, in: context.table)
            try expectSameRun(try await context.store.evalRun(id: "bare", in: context.table), run, "the bare run", context)
        },
        ConformanceCheck("get-missing-is-nil", "Getting an id that does not exist returns nil, not an error.") { context in
            try await context.seed([sampleRun("present")])
            try expect(try await context.store.evalRun(id: "absent", in: context.table) == nil, "an absent id returned a run")
        },
        ConformanceCheck("text-edge-cases-round-trip", "Ids and names with quotes, SQL, unicode and 10,000 characters round-trip and delete.") { context in
            let ids = ["it's", "\"quoted\"", "'; DROP TABLE x; --", "ünïcødé-日本語-🚀", "a\\b", "percent%20", String(repeating: "x", count: 10_000)]
            for id in ids {
                var run = sampleRun(id)
                run.name = id
                _ = try await context.store.createEvalRun(run, in: context.table)
                try expectEqual(try await context.store.evalRun(id: id, in: context.table)?.name, id, "the name of run \(id.prefix(20))")
            }
            try expectEqual(try await context.count(), ids.count, "rows stored")
            let deletion = try await context.store.deleteEvalRuns(ids: ids, in: context.table, returningRemovedIDs: true, audit: .forTests())
            try expectEqual(deletion.deletedCount, ids.count, "rows deleted")
            try expectSameIDs(deletion.removedIDs, ids, "ids reported removed")
        },
        ConformanceCheck("nul-is-rejected-as-invalid", "Text with a NUL character is refused with an 'invalid' error by create, rename and delete.") { context in
            try await context.seed([sampleRun("keep")])
            try await expectStorageError(.invalid, "create with a NUL in the id") {
                _ = try await context.store.createEvalRun(sampleRun("bad\u{0}id"), in: context.table)
            }
            try await expectStorageError(.invalid, "rename to a name with a NUL") {
                _ = try await context.store.renameEvalRun(id: "keep", to: "a\u{0}b", at: 1_700_000_001, in: context.table)
            }
            try await expectStorageError(.invalid, "delete with a NUL in an id") {
                _ = try await context.store.deleteEvalRuns(ids: ["keep", "bad\u{0}id"], in: context.table, returningRemovedIDs: false, audit: .forTests())
            }
            try expectEqual(try await context.count(), 1, "rows left after refused calls")
        },
        ConformanceCheck("timestamps-keep-second-precision", "Epoch-second timestamps read back exactly, from 1970 to 2100.") { context in
            let times: [Int64] = [0, 1, 1_700_000_000, 1_999_999_999, 4_102_444_800]
            for (index, time) in times.enumerated() {
                var run = sampleRun("t\(index)", createdAt: time)
                run.updatedAt = time + 1
                _ = try await context.store.createEvalRun(run, in: context.table)
                let read = try await context.store.evalRun(id: "t\(index)", in: context.table)
                try expectEqual(read?.createdAt, time, "created_at of t\(index)")
                try expectEqual(read?.updatedAt, time + 1, "updated_at of t\(index)")
            }
        },
        ConformanceCheck("rename-sets-name-and-updated-at", "Rename changes the name and updated_at and nothing else.") { context in
            let original = sampleRun("r", createdAt: 1_700_000_000)
            try await context.seed([original])
            let renamed = try await context.store.renameEvalRun(id: "r", to: "New name ✓", at: 1_800_000_000, in: context.table)
            var expected = original
            expected.name = "New name ✓"
            expected.updatedAt = 1_800_000_000
            try expectSameRun(renamed, expected, "the returned run", context)
            try expectSameRun(try await context.store.evalRun(id: "r", in: context.table), expected, "the run read back", context)
        },
        ConformanceCheck("tables-are-independent", "Rows of one table are invisible to and untouched by operations on another.") { context in
            try await context.seed([sampleRun("shared"), sampleRun("only-main")])
            try await context.seed([sampleRun("shared")], in: context.otherTable)
            let deletion = try await context.store.deleteEvalRuns(ids: ["shared", "only-main"], in: context.otherTable, returningRemovedIDs: false, audit: .forTests())
            try expectEqual(deletion.deletedCount, 1, "rows deleted from the other table")
            try expectEqual(try await context.count(), 2, "rows left in the main table")
            try expect(try await context.store.evalRun(id: "only-main", in: context.otherTable) == nil, "a main-table row is visible in the other table")
        },
    ]
}
