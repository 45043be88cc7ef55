import EvalGatewayCore
import Hummingbird
import Logging

/// `DELETE /eval-runs` once the request is checked: by ids or by filter (or its dry run), on one
/// database or fanned out over several, each database's delete atomic on its own and audited in its own
/// transaction. There is no transaction across databases: the answer says what committed where.
struct EvalRunDeletes: Sendable {
    let services: GatewayServices
    let request: DeleteRequest
    let dryRun: Bool
    let wantsRepresentation: Bool
    let audit: AuditContext
    let logger: Logger

    /// One database's part.
    struct Outcome: Sendable {
        let databaseID: String
        /// Rows removed by what committed.
        var deleted = 0
        /// What a dry run counted.
        var wouldDelete = 0
        /// Ids asked for and not removed (a delete by ids, when the representation is wanted).
        var notFound: [String]?
        /// Why this database's part failed (or stopped part-way), as the client sees it.
        var error: AgnoError?
        /// The error as thrown, for a one-database request to answer as every route does.
        var thrown: (any Error)?
    }

    // MARK: - Running

    /// Runs the operation on every target, at most `fanout.max_parallel` databases at once.
    func run(on targets: [ResolvedTable]) async -> [Outcome] {
        let digest: AuditDigest? = if case .ids(let ids) = request, !dryRun { AuditDigest(ids, keepingIDs: audit.includeIDs) } else { nil }
        return await targets.concurrentMap(maxParallel: services.dataOperations.fanOutMaxParallel) { target in
            await self.run(on: target, digest: digest)
        }
    }

    private func run(on target: ResolvedTable, digest: AuditDigest?) async -> Outcome {
        var outcome = Outcome(databaseID: target.database.id)
        do {
            switch request {
            case .ids(let ids):
                let record = audit.record(databaseID: target.database.id, table: target.table, kind: .ids, digest: digest ?? AuditDigest(ids))
                let deletion = try await target.store.deleteEvalRuns(ids: ids, in: target.table, returningRemovedIDs: wantsRepresentation, audit: record)
                outcome.deleted = deletion.deletedCount
                if wantsRepresentation { outcome.notFound = Self.notFound(ids, removed: deletion.removedIDs ?? []) }
            case .filter(let filter) where dryRun:
                outcome.wouldDelete = try await target.store.countEvalRuns(matching: filter, in: target.table)
            case .filter(let filter):
                let erasure = FilterErasure(filter: filter, batchRows: services.dataOperations.filterBatchRows, kind: .filter, audit: audit)
                let result = await erasure.run(on: target.store, databaseID: target.database.id, table: target.table)
                outcome.deleted = result.deleted
                if let error = result.error { throw error }
            }
        } catch {
            let (agnoError, underlying) = AgnoErrorMiddleware.agnoError(for: error)
            if agnoError.status.code >= 500 {
                logger.error(
                    "delete failed on one database",
                    metadata: ["db_id": .string(target.database.id), "status": .stringConvertible(agnoError.status.code), "error": .string(underlying ?? agnoError.detail)]
                )
            }
            outcome.error = agnoError
            outcome.thrown = error
        }
        return outcome
    }

    /// The ids asked for that were not removed, each once, in the order asked (ids compare by bytes).
    static func notFound(_ ids: [String], removed: [String]) -> [String] {
        let removed = Set(removed.map(BytewiseString.init))
        var seen: Set<BytewiseString> = []
        return ids.filter { !removed.contains(BytewiseString($0)) && seen.insert(BytewiseString($0)).inserted }
    }

    // MARK: - Answering

    /// The answer to a request on one database: as every route answers (204, or 200 with the
    /// representation; an error status when nothing committed), and 207 when a delete by filter failed
    /// after some of its batches committed.
    func answer(one outcome: Outcome) throws -> Response {
        if let thrown = outcome.thrown, outcome.deleted == 0 { throw thrown }
        if outcome.error != nil { return answer(many: [outcome]) }
        if dryRun { return answer(many: [outcome]) }
        guard wantsRepresentation else {
            return Response(status: .noContent, headers: [.xDeletedCount: String(outcome.deleted)])
        }
        var response = Response.json { writer in
            writer.beginObject()
            writer.key("deleted"); writer.write(outcome.deleted)
            if let notFound = outcome.notFound { writer.key("not_found"); writer.write(strings: notFound) }
            writer.endObject()
        }
        response.headers[.xDeletedCount] = String(outcome.deleted)
        response.headers[.preferenceApplied] = "return=representation"
        return response
    }

    /// The answer to a fan-out: 204 (`X-Deleted-Count`, the total) or, with the representation, 200 with
    /// each database's part when every database succeeded; 207 with each database's part — what it
    /// deleted, or its error — when any failed. A dry run answers 200 (or 207) with what each would delete.
    func answer(many outcomes: [Outcome]) -> Response {
        let failed = outcomes.contains { $0.error != nil }
        let total = outcomes.reduce(0) { $0 + $1.deleted }
        if !failed, !dryRun, !wantsRepresentation {
            return Response(status: .noContent, headers: [.xDeletedCount: String(total)])
        }
        var response = Response.json(status: failed ? .multiStatus : .ok) { writer in
            writer.beginObject()
            writer.key(dryRun ? "would_delete" : "deleted")
            writer.write(dryRun ? outcomes.reduce(0) { $0 + $1.wouldDelete } : total)
            writer.key("databases")
            writer.beginObject()
            for outcome in outcomes {
                writer.key(outcome.databaseID)
                writer.beginObject()
                if dryRun {
                    if outcome.error == nil { writer.key("would_delete"); writer.write(outcome.wouldDelete) }
                } else if outcome.error == nil || outcome.deleted > 0 {
                    writer.key("deleted"); writer.write(outcome.deleted)
                }
                if let notFound = outcome.notFound, outcome.error == nil { writer.key("not_found"); writer.write(strings: notFound) }
                if let error = outcome.error {
                    writer.key("error_code"); writer.write(AgnoError.code(for: error.status))
                    writer.key("detail"); writer.write(error.detail)
                }
                writer.endObject()
            }
            writer.endObject()
            writer.endObject()
        }
        if !dryRun {
            response.headers[.xDeletedCount] = String(total)
            if wantsRepresentation { response.headers[.preferenceApplied] = "return=representation" }
        }
        if let retryAfter = outcomes.compactMap({ $0.error?.retryAfter }).max() {
            response.headers[.retryAfter] = String(retryAfter)
        }
        return response
    }
}
