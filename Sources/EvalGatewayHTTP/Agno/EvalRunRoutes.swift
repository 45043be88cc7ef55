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

    /// Deletes by ids or by filter (`?dry_run=true`: counts instead), on one database or — with
    /// `db_id=a,b,c` or `db_id=*` — on several (see ``EvalRunDeletes``).
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.delete, of: context.token)
        let body = try await collectBody(request)
        let deleteRequest = try DeleteRequest.parse(body)
        if case .ids(let ids) = deleteRequest, ids.count > services.limits.maxIDsPerRequest {
            throw AgnoError(.contentTooLarge, "Too many ids: \(ids.count) in one request, the limit is \(services.limits.maxIDsPerRequest)")
        }
        let parameters = request.uri.queryParameters
        let dryRun = try Self.flag(parameters, "dry_run")
        if dryRun, case .ids = deleteRequest {
            throw AgnoError.validation(ValidationIssue([.key("query"), .key("dry_run")], "A dry run needs a filter, not eval_run_ids", type: "value_error"))
        }
        let selection = try services.resolveSelection(parameters, context: context)
        let deletes = EvalRunDeletes(
            services: services,
            request: deleteRequest,
            dryRun: dryRun,
            wantsRepresentation: request.headers[values: .prefer].contains { $0.contains("return=representation") },
            audit: AuditContext(
                principal: context.token?.name ?? AuditContext.openPrincipal,
                requestID: context.requestID,
                includeIDs: services.dataOperations.auditIncludesIDs
            ),
            logger: context.logger
        )
        switch selection {
        case .one(let target):
            return try deletes.answer(one: await deletes.run(on: [target])[0])
        case .many(let targets):
            return deletes.answer(many: await deletes.run(on: targets))
        }
    }

    /// A boolean query parameter: `true`/`1` or `false`/`0`; absent or empty is false; anything else is 422.
    static func flag(_ parameters: FlatDictionary<Substring, Substring>, _ name: String) throws(AgnoError) -> Bool {
        switch parameters[Substring(name)] {
        case nil, ""?, "false"?, "0"?: return false
        case "true"?, "1"?: return true
        default:
            throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be a valid boolean (true or false)", type: "bool_parsing"))
        }
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
