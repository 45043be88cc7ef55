import EvalGatewayCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// The Agno AgentOS `/eval-runs` surface: list, get, bulk delete, rename, create.
///
/// Every handler runs the checks in one order, so that a request learns nothing about a database before
/// it is allowed to: authentication (middleware), then the request's own validation, then `db_id`/`table`
/// resolution, then the token's tenant check.
struct EvalRunRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayRequestContext>) {
        let group = router.group("eval-runs").add(middleware: AuthenticationMiddleware(services: services))
        group.get(use: list)
        group.post(use: create)
        group.delete(use: delete)
        group.get("{id}", use: get)
        group.patch("{id}", use: rename)
        MethodNotAllowedResponder.register(on: router, path: "/eval-runs", allowed: [.get, .post, .delete])
        MethodNotAllowedResponder.register(on: router, path: "/eval-runs/{id}", allowed: [.get, .patch])
    }

    // MARK: - Handlers

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.read, of: context.token)
        let parameters = request.uri.queryParameters
        let query = try EvalRunListParameters.query(from: parameters)
        let target = try services.resolveTarget(parameters, context: context)
        let start = ContinuousClock.now
        let page = try await target.store.listEvalRuns(in: target.table, matching: query)
        let searchMilliseconds = (ContinuousClock.now - start).milliseconds
        return .json { writer in
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for run in page.runs { EvalRunWire.write(run, to: &writer) }
            writer.endArray()
            writer.key("meta")
            writer.beginObject()
            writer.key("page"); writer.write(query.page)
            writer.key("limit"); writer.write(query.limit)
            writer.key("total_pages"); writer.write((page.totalCount + query.limit - 1) / query.limit)
            writer.key("total_count"); writer.write(page.totalCount)
            writer.key("search_time_ms"); writer.write((searchMilliseconds * 100).rounded() / 100)
            writer.endObject()
            writer.endObject()
        }
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.read, of: context.token)
        let id = try pathID(context)
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        guard let run = try await target.store.evalRun(id: id, in: target.table) else {
            throw AgnoError(.notFound, "Eval run with id '\(id)' not found")
        }
        return .json { EvalRunWire.write(run, to: &$0) }
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.write, of: context.token)
        let body = try await collectBody(request)
        let input = try EvalRunWire.createRequest(from: body)
        let run = try Self.evalRun(from: input)
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        let created = try await target.store.createEvalRun(run, in: target.table)
        return .json(status: .created) { EvalRunWire.write(created, to: &$0) }
    }

    @Sendable func rename(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.write, of: context.token)
        let id = try pathID(context)
        let body = try await collectBody(request)
        let name = try EvalRunWire.renameRequest(from: body)
        try Self.validateName(name, location: [.key("body"), .key("name")])
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        let run = try await target.store.renameEvalRun(id: id, to: name, at: Timestamp.now(), in: target.table)
        return .json { EvalRunWire.write(run, to: &$0) }
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.delete, of: context.token)
        let body = try await collectBody(request)
        let ids = try EvalRunWire.evalRunIDs(from: body)
        guard !ids.isEmpty else {
            throw AgnoError.validation(ValidationIssue([.key("body"), .key("eval_run_ids")], "List should have at least 1 item after validation, not 0", type: "too_short"))
        }
        guard ids.count <= services.limits.maxIDsPerRequest else {
            throw AgnoError(.contentTooLarge, "Too many ids: \(ids.count) in one request, the limit is \(services.limits.maxIDsPerRequest)")
        }
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        let wantsRepresentation = request.headers[values: .prefer].contains { $0.contains("return=representation") }
        let deletion = try await target.store.deleteEvalRuns(ids: ids, in: target.table, returningRemovedIDs: wantsRepresentation)
        guard wantsRepresentation else {
            return Response(status: .noContent, headers: [.xDeletedCount: String(deletion.deletedCount)])
        }
        // Ids compare by their bytes: two spellings of `café` are two ids.
        let removed = Set((deletion.removedIDs ?? []).map(BytewiseString.init))
        var seen: Set<BytewiseString> = []
        let notFound = ids.filter { !removed.contains(BytewiseString($0)) && seen.insert(BytewiseString($0)).inserted }
        var response = Response.json { writer in
            writer.beginObject()
            writer.key("deleted"); writer.write(deletion.deletedCount)
            writer.key("not_found"); writer.write(strings: notFound)
            writer.endObject()
        }
        response.headers[.xDeletedCount] = String(deletion.deletedCount)
        response.headers[.preferenceApplied] = "return=representation"
        return response
    }

    // MARK: - Shared steps

    /// Reads the body up to the configured limit (413 beyond it).
    private func collectBody(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: services.limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw AgnoError(.contentTooLarge, "Request body is larger than the limit of \(services.limits.maxBodyBytes) bytes")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AgnoError(.contentTooLarge, "Request body is larger than the limit of \(services.limits.maxBodyBytes) bytes")
        }
    }

    /// The `{id}` path parameter, percent-decoded.
    private func pathID(_ context: GatewayRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    private static func validateName(_ name: String, location: [ValidationIssue.LocationPart]) throws(AgnoError) {
        if name.isEmpty {
            throw .validation(ValidationIssue(location, "String should have at least 1 character", type: "string_too_short"))
        }
        if name.count > 255 {
            throw .validation(ValidationIssue(location, "String should have at most 255 characters", type: "string_too_long"))
        }
    }

    /// Builds the run to store from a create body, checking what the decoder could not.
    private static func evalRun(from input: EvalRunWire.CreateRequest) throws(AgnoError) -> EvalRun {
        let type = EvalType(rawValue: input.evalType)
        guard type.isKnown else {
            throw .validation(ValidationIssue([.key("body"), .key("eval_type")], "Input should be 'accuracy', 'agent_as_judge', 'performance' or 'reliability'", type: "enum"))
        }
        guard input.evalData.isObject else {
            throw .validation(ValidationIssue([.key("body"), .key("eval_data")], "Input should be a valid dictionary", type: "dict_type"))
        }
        if let evalInput = input.evalInput, !evalInput.isObject, !evalInput.isNull {
            throw .validation(ValidationIssue([.key("body"), .key("eval_input")], "Input should be a valid dictionary", type: "dict_type"))
        }
        if let id = input.id, id.isEmpty || id.utf8.count > 255 {
            throw .validation(ValidationIssue([.key("body"), .key("id")], "String should have 1 to 255 characters", type: "string_length"))
        }
        if let name = input.name { try validateName(name, location: [.key("body"), .key("name")]) }
        // A time the client gives is kept (imports, backfills); otherwise now.
        let now = Timestamp.now()
        return EvalRun(
            id: input.id ?? UUID().uuidString.lowercased(),
            agentID: input.agentID,
            modelID: input.modelID,
            modelProvider: input.modelProvider,
            teamID: input.teamID,
            workflowID: input.workflowID,
            name: input.name,
            evaluatedComponentName: input.evaluatedComponentName,
            userID: input.userID,
            evalType: type,
            evalData: input.evalData,
            evalInput: input.evalInput.flatMap { $0.isNull ? nil : $0 } ?? .emptyObject,
            createdAt: input.createdAt ?? now,
            updatedAt: input.updatedAt ?? now
        )
    }
}
