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

    /// Deletes that queue behind a held write lock go into the next group commit together; each still
    /// writes its own audit record, with its own exact count, in its own savepoint.
    @Test func deletesSharingACommitEachKeepTheirOwnAuditRecord() async throws {
        let path = temporarySQLitePath()
        let store = SQLiteEvalRunStore(path: path, tables: ["runs"])
        for index in 0..<200 { _ = try await store.createEvalRun(EvalRun(id: "g-\(index)", evalType: .accuracy, createdAt: 1), in: "runs") }
        let context = AuditContext(principal: "group-commit", requestID: nil)
        let requests = (0..<16).map { worker in
            let ids = (0..<40).map { "g-\((worker * 11 + $0) % 200)" }
            return (ids, context.record(databaseID: "test", table: "runs", kind: .ids, digest: AuditDigest(ids)))
        }

        // Another connection holds the write lock: the first delete's transaction waits for it, and the
        // others queue behind it for the next commit.
        let locker = try SQLiteTestFile(path)
        try locker.execute("BEGIN IMMEDIATE")
        let deletes = Task {
            try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for (ids, record) in requests {
                    group.addTask { (record.id, try await store.deleteEvalRuns(ids: ids, in: "runs", returningRemovedIDs: false, audit: record).deletedCount) }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
            }
        }
        await store.connections.waitUntil(writer: { $0.inUse == 1 }, readers: { _ in true })
        try locker.execute("COMMIT")
        let counts = try await deletes.value

        let trail = try await store.auditRecords(matching: AuditQuery(principal: "group-commit", limit: 100)).records
        #expect(trail.count == 16)
        for record in trail {
            #expect(record.deleted == counts[record.id], "the recorded count of \(record.id)")
        }
        let removed = Set(requests.flatMap(\.0)).count
        #expect(trail.map(\.deleted).reduce(0, +) == removed)
        #expect(try await store.listEvalRuns(in: "runs", matching: EvalRunQuery(limit: 1)).totalCount == 200 - removed)
        // Read back from another connection: one row per delete, each with its own count.
        let rows = try locker.rows("SELECT id, deleted FROM evalgw_audit WHERE principal = 'group-commit'")
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0[0] ?? "", Int($0[1] ?? "") ?? -1) }) == counts)
        await store.shutdown()
    }
}
