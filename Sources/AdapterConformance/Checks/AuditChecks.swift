import EvalGatewayCore

/// The audit trail: one record per delete, written in the same transaction — present if and only if the
/// delete committed — with the exact count, the digest of the ids, and the request's principal.
enum AuditChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck(
            "audit-record-per-delete-by-ids",
            "Each delete by ids writes one record: principal, request id, database, table, kind, the digest and number of the distinct ids asked for, and the rows removed — 0 included."
        ) { context in
            try await context.seed([sampleRun("a"), sampleRun("b"), sampleRun("c")])
            let ids = ["b", "a", "missing", "a"]
            let record = context.idsAudit(ids)
            let deletion = try await context.store.deleteEvalRuns(ids: ids, in: context.table, returningRemovedIDs: false, audit: record)
            let empty = context.idsAudit(["a"])
            _ = try await context.store.deleteEvalRuns(ids: ["a"], in: context.table, returningRemovedIDs: false, audit: empty)
            let trail = try await context.auditTrail()
            try expectEqual(trail.count, 2, "records of two deletes")
            guard let first = trail.first(where: { $0.id == record.id }), let second = trail.first(where: { $0.id == empty.id }) else {
                throw ConformanceFailure(description: "the records of the two deletes are missing: \(trail.map(\.id))")
            }
            try expectEqual(first, record.deleting(deletion.deletedCount), "the record of the first delete")
            try expectEqual(first.deleted, 2, "rows removed, as recorded")
            try expectEqual(first.idsCount, 3, "distinct ids asked for, as recorded")
            try expectEqual(first.idsSHA256, AuditDigest(["a", "b", "missing"]).sha256, "the digest of the ids")
            try expectEqual(second, empty.deleting(0), "the record of a delete that removed nothing")
        },
        ConformanceCheck(
            "audit-record-only-when-the-delete-commits",
            "A delete that fails part-way (an invalid id last) removes nothing and leaves no record; a failed delete by filter neither."
        ) { context in
            try await context.seed((0..<20).map { sampleRun("keep-\($0)") })
            let ids = (0..<20).map { "keep-\($0)" } + ["bad\u{0}"]
            try await expectStorageError(.invalid, "a delete with an invalid id last") {
                _ = try await context.store.deleteEvalRuns(ids: ids, in: context.table, returningRemovedIDs: false, audit: context.idsAudit(ids))
            }
            try await expectStorageError(.invalid, "a delete from an unknown table") {
                _ = try await context.store.deleteEvalRuns(ids: ["keep-1"], in: "\(context.table)_absent", returningRemovedIDs: false, audit: context.idsAudit(["keep-1"]))
            }
            try expectEqual(try await context.count(), 20, "rows after the failed deletes")
            try expectEqual(try await context.auditTrail().count, 0, "records of failed deletes")
        },
        ConformanceCheck(
            "audit-record-per-filter-batch",
            "Each batch of a delete by filter writes one record (kind, filter, and the number and digest of the ids it removed); with include_ids the record keeps them, sorted."
        ) { context in
            try await context.seed((0..<5).map { index in
                var run = sampleRun("r-\(4 - index)")
                run.userID = "u-audit"
                return run
            } + [sampleRun("kept")])
            let filter = EvalRunFilter(userID: "u-audit")
            var audit = context.auditContext
            audit.includeIDs = true
            var records: [AuditRecord] = []
            var removed = 0
            for _ in 0..<3 {
                let record = audit.record(databaseID: "conformance", table: context.table, kind: .filter, filter: filter)
                records.append(record)
                removed += try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 2, audit: record).deletedCount
            }
            try expectEqual(removed, 5, "rows removed by three batches of 2")
            let trail = try await context.auditTrail()
            try expectEqual(Set(trail.map(\.id)), Set(records.map(\.id)), "the records of the three batches")
            var seen: [String] = []
            for record in records {
                guard let stored = trail.first(where: { $0.id == record.id }) else { continue }
                let ids = stored.ids ?? []
                try expectEqual(stored.deleted, ids.count, "rows removed by a batch, as recorded, against the ids it kept")
                try expectEqual(stored, record.deleting(ids: ids), "the record of a batch")
                try expectEqual(ids, ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "the kept ids in byte order")
                seen += ids
            }
            try expectEqual(seen.sorted(), (0..<5).map { "r-\($0)" }, "the ids the batches recorded")
            try expectEqual(trail.map(\.deleted).sorted(), [1, 2, 2], "rows removed by each batch, as recorded")
        },
        ConformanceCheck(
            "audit-concurrent-deletes-each-recorded",
            "16 concurrent deletes (which a backend may commit together) write 16 records, each with its own delete's exact count."
        ) { context in
            let rows = 400
            try await context.seed((0..<rows).map { sampleRun("g-\($0)") })
            let store = context.store
            let table = context.table
            let audits = (0..<16).map { worker in context.idsAudit((0..<50).map { "g-\((worker * 23 + $0) % rows)" }) }
            let counts = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        let ids = (0..<50).map { "g-\((worker * 23 + $0) % rows)" }
                        return (audits[worker].id, try await store.deleteEvalRuns(ids: ids, in: table, returningRemovedIDs: false, audit: audits[worker]).deletedCount)
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
            }
            let trail = try await context.auditTrail()
            try expectEqual(trail.count, 16, "records of 16 deletes")
            for record in trail {
                try expectEqual(record.deleted, counts[record.id] ?? -1, "the recorded count of delete \(record.id)")
            }
            try expectEqual(trail.map(\.deleted).reduce(0, +), rows - (try await context.count()), "recorded counts against the rows removed")
        },
        ConformanceCheck(
            "audit-trail-pages-newest-first",
            "The trail reads newest first, in pages, with its total, and filters by time, principal and kind."
        ) { context in
            try await context.seed([sampleRun("x")])
            var records: [AuditRecord] = []
            for index in 0..<5 {
                var audit = context.auditContext
                let at = 1_800_000_000_000 + Int64(index) * 1_000
                audit.now = { at }
                let record = audit.record(databaseID: "conformance", table: context.table, kind: .ids, digest: AuditDigest(["x"]))
                records.append(record)
                _ = try await context.store.deleteEvalRuns(ids: ["x"], in: context.table, returningRemovedIDs: false, audit: record)
            }
            var retention = AuditContext(principal: "retention-\(context.suffix)", requestID: nil)
            retention.now = { 1_800_000_002_500 }
            let filter = EvalRunFilter(createdBefore: 1)
            let swept = retention.record(databaseID: "conformance", table: context.table, kind: .retention, filter: filter)
            _ = try await context.store.deleteEvalRuns(matching: filter, in: context.table, limit: 10, audit: swept)

            let principal = context.auditContext.principal
            let page = try await context.store.auditRecords(matching: AuditQuery(principal: principal, limit: 2, offset: 1))
            try expectEqual(page.totalCount, 5, "records of the principal")
            try expectEqual(page.records.map(\.id), [records[3].id, records[2].id], "the second page of 2, newest first")
            let window = try await context.store.auditRecords(matching: AuditQuery(since: records[1].at, until: records[4].at, principal: principal, limit: 10))
            try expectEqual(window.records.map(\.id), [records[3].id, records[2].id, records[1].id], "records since the 2nd (inclusive) until the 5th (exclusive)")
            let byKind = try await context.store.auditRecords(matching: AuditQuery(principal: retention.principal, kind: .retention, limit: 10))
            try expectEqual(byKind.records.map(\.id), [swept.id], "records of kind retention")
            try expectEqual(byKind.records.first?.principal, retention.principal, "the principal of the retention record")
        },
        ConformanceCheck(
            "job-delete-is-audited",
            "Deleting a terminal job writes one batch_evaluation record in the same step; a refused delete writes none.",
            needsJobStore: true
        ) { context in
            let store = try context.jobStore
            let now = Timestamp.nowMilliseconds()
            let running = try await context.create(context.makeJob("audited_running", createdAt: now))
            var done = context.makeJob("audited_done", createdAt: now)
            done.status = .completed
            try await context.create(done)
            let refused = context.auditContext.record(databaseID: "conformance", table: nil, kind: .batchEvaluation, digest: AuditDigest([running.id]))
            try await expectStorageError(.conflict, "the delete of a pending job") {
                _ = try await store.deleteBatchEvaluation(id: running.id, audit: refused)
            }
            let record = context.auditContext.record(databaseID: "conformance", table: nil, kind: .batchEvaluation, digest: AuditDigest([done.id]))
            _ = try await store.deleteBatchEvaluation(id: done.id, audit: record)
            let trail = try await context.auditTrail()
            try expectEqual(trail, [record.deleting(1)], "the records of the job deletes")
        },
    ]
}

extension ConformanceContext {
    /// Who deletes in this check: a principal of its own, so that a persistent store's earlier records
    /// are told apart.
    var auditContext: AuditContext { AuditContext(principal: "conformance-\(suffix)", requestID: "request-\(suffix)") }

    /// The record of a delete by `ids` in `table` (the main one by default).
    func idsAudit(_ ids: [String], table: String? = nil) -> AuditRecord {
        auditContext.record(databaseID: "conformance", table: table ?? self.table, kind: .ids, digest: AuditDigest(ids))
    }

    /// The record of one batch of a delete by `filter` in the main table.
    func filterAudit(_ filter: EvalRunFilter) -> AuditRecord {
        auditContext.record(databaseID: "conformance", table: table, kind: .filter, filter: filter)
    }

    /// This check's audit records, newest first.
    func auditTrail() async throws -> [AuditRecord] {
        try await store.auditRecords(matching: AuditQuery(principal: auditContext.principal, limit: 10_000)).records
    }
}
