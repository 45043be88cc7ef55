import EvalGatewayCore

/// Text as written: ids and filter values that differ in any byte are different values, and JSON keeps
/// what it says (and, where the adapter declares it, how it says it).
enum TextFidelityChecks {
    /// `café` precomposed, `café` with a combining accent, another case, a trailing space: four ids.
    static let spellings = ["caf\u{E9}", "cafe\u{301}", "Caf\u{E9}", "caf\u{E9} "]

    /// JSON that a re-encoder would change: spacing, member order, `2.0`, `-0.0`, an exponent, an integer
    /// past 64 bits, `\u` escapes (one a surrogate pair), a repeated key.
    static let writtenJSON = #"{ "z" : 1, "a" : {"y": [1, "two", null], "b": 2.0}, "neg": -0.0, "exp": 1E+2, "big": 12345678901234567890, "esc": "caf\u00e9 \ud83d\ude80 \"q\"", "dup": 1, "dup": 2 }"#

    static let all: [ConformanceCheck] = [
        ConformanceCheck("ids-byte-exact", "Ids and filter values that differ only in Unicode normalization, case or a trailing space are different values for create, get, list, rename and delete.") { context in
            for (index, id) in spellings.enumerated() {
                var run = sampleRun(id)
                run.name = "spelling \(index)"
                run.agentID = id
                _ = try await context.store.createEvalRun(run, in: context.table)
            }
            try expectEqual(try await context.count(), spellings.count, "rows stored under \(spellings.count) spellings of one word")
            for (index, id) in spellings.enumerated() {
                let read = try await context.store.evalRun(id: id, in: context.table)
                try expect(read?.id.isBytewiseEqual(to: id) == true, "get of spelling \(index) returned id \(read.map { Array($0.id.utf8) }.debugDescription)")
                try expect(read?.name == "spelling \(index)", "get of spelling \(index) returned the run named \(read?.name ?? "nil")")
            }
            let filtered = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(agentID: spellings[1], limit: 100))
            try expectEqual(filtered.totalCount, 1, "runs listed for agent_id = spelling 1")
            try expect(filtered.runs.first?.id.isBytewiseEqual(to: spellings[1]) == true, "the run listed for agent_id = spelling 1")

            _ = try await context.store.renameEvalRun(id: spellings[2], to: "renamed", at: 1_800_000_000, in: context.table)
            try expect(try await context.store.evalRun(id: spellings[0], in: context.table)?.name == "spelling 0", "renaming spelling 2 renamed spelling 0")

            let deletion = try await context.store.deleteEvalRuns(ids: [spellings[0]], in: context.table, returningRemovedIDs: true, audit: .forTests())
            try expectEqual(deletion.deletedCount, 1, "rows deleted by one spelling")
            try expectSameIDs(deletion.removedIDs, [spellings[0]], "ids reported removed")
            try expect(try await context.store.evalRun(id: spellings[1], in: context.table) != nil, "deleting spelling 0 removed spelling 1")
            try expectEqual(try await context.count(), spellings.count - 1, "rows left")
        },
        ConformanceCheck("json-round-trips-by-meaning", "eval_data and eval_input read back as the same JSON value: every member, big integers and decimals exactly, escapes decoded.") { context in
            var run = sampleRun("json")
            run.evalData = try JSONText(validating: writtenJSON)
            run.evalInput = try JSONText(validating: #"{"input": "\u00e9t\u00e9", "n": 0.1}"#)
            _ = try await context.store.createEvalRun(run, in: context.table)
            let read = try await context.store.evalRun(id: "json", in: context.table)
            try expect(read?.evalData.isEquivalent(to: run.evalData) == true, "eval_data read back as \(read?.evalData.text ?? "nothing"), which does not mean \(run.evalData.text)")
            try expect(read?.evalInput.isEquivalent(to: run.evalInput) == true, "eval_input read back as \(read?.evalInput.text ?? "nothing")")
            let listed = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(limit: 10)).runs.first
            try expect(listed?.evalData.isEquivalent(to: run.evalData) == true, "eval_data listed as \(listed?.evalData.text ?? "nothing")")
        },
        ConformanceCheck(
            "json-kept-as-sent",
            "eval_data and eval_input read back byte for byte as written: spacing, member order, 2.0, -0.0, 12345678901234567890, escapes.",
            requires: [.verbatimJSON]
        ) { context in
            var run = sampleRun("verbatim")
            run.evalData = try JSONText(validating: writtenJSON)
            run.evalInput = try JSONText(validating: #"{"b":1,"a":2.50}"#)
            let created = try await context.store.createEvalRun(run, in: context.table)
            try expectEqual(created.evalData.text, writtenJSON, "eval_data returned by create")
            try expectEqual(try await context.store.evalRun(id: "verbatim", in: context.table)?.evalData.text, writtenJSON, "eval_data read back")
            try expectEqual(try await context.store.evalRun(id: "verbatim", in: context.table)?.evalInput.text, #"{"b":1,"a":2.50}"#, "eval_input read back")
            let listed = try await context.store.listEvalRuns(in: context.table, matching: EvalRunQuery(limit: 10)).runs.first
            try expectEqual(listed?.evalData.text, writtenJSON, "eval_data listed")
            let renamed = try await context.store.renameEvalRun(id: "verbatim", to: "renamed", at: 1_800_000_000, in: context.table)
            try expectEqual(renamed.evalData.text, writtenJSON, "eval_data returned by rename")
        },
    ]
}
