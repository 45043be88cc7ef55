import AdapterConformance
import EvalGatewayCore
import Foundation
import SQLiteAdapter
import Testing

/// Concurrent writes on one file share commits, each in its own savepoint: a write that fails takes
/// nothing of its neighbours with it, every acknowledged write is in the file, and another connection
/// to the file sees each commit.
@Suite struct SQLiteGroupCommitTests {
    @Test func concurrentCreatesAndDeletesEachStandAlone() async throws {
        let path = temporarySQLitePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = SQLiteEvalRunStore(path: path, tables: ["runs"])
        let original = EvalRun(id: "taken", name: "original", evalType: .accuracy, createdAt: 1)
        _ = try await store.createEvalRun(original, in: "runs")

        // 64 creates at once; every eighth reuses the taken id and must fail alone.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let id = index % 8 == 0 ? "taken" : "run-\(index)"
                    let run = EvalRun(id: id, name: "n\(index)", evalType: .accuracy, createdAt: 2)
                    do {
                        _ = try await store.createEvalRun(run, in: "runs")
                        return (index, true)
                    } catch StorageError.conflict {
                        return (index, false)
                    } catch {
                        Issue.record("create \(index): \(error)")
                        return (index, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == stride(from: 0, to: 64, by: 8).map { $0 })
        #expect(try await store.evalRun(id: "taken", in: "runs")?.name == "original")

        // A fresh connection to the file sees every acknowledged create.
        let reopened = SQLiteEvalRunStore(path: path, tables: ["runs"])
        let page = try await reopened.listEvalRuns(in: "runs", matching: EvalRunQuery(limit: 100))
        #expect(page.totalCount == 1 + 56)

        // Concurrent deletes of disjoint halves, next to a rename, each count exactly their own rows.
        let ids = (0..<64).filter { $0 % 8 != 0 }.map { "run-\($0)" }
        async let first = store.deleteEvalRuns(ids: Array(ids[..<28]), in: "runs", returningRemovedIDs: false, audit: .forTests())
        async let second = store.deleteEvalRuns(ids: Array(ids[28...]) + ["missing"], in: "runs", returningRemovedIDs: true, audit: .forTests())
        async let renamed = store.renameEvalRun(id: "taken", to: "renamed", at: 3, in: "runs")
        let (a, b, r) = try await (first, second, renamed)
        #expect(a.deletedCount == 28)
        #expect(b.deletedCount == 28)
        #expect(Set(b.removedIDs ?? []) == Set(ids[28...]))
        #expect(r.name == "renamed")
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery(limit: 100)).totalCount == 1)
        // The second connection, which has read before, sees the deletes too: no read of it stayed open
        // on an old snapshot (as another process serving the same file would need).
        #expect(try await reopened.listEvalRuns(in: "runs", matching: EvalRunQuery(limit: 100)).totalCount == 1)
        #expect(try await reopened.evalRun(id: "taken", in: "runs")?.name == "renamed")
        await store.shutdown()
        await reopened.shutdown()
    }
}
