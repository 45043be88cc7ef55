import EvalGatewayCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The AgentCore batch-evaluation surface: Start, Get, List, Stop and Delete, wire
/// compatible with boto3's `bedrock-agentcore` client.
///
/// The group has its own error middleware (AWS errors) around the authentication middleware (bearer
/// tokens or SigV4). Every
/// handler runs the checks in the order of the Agno surface: authentication, the token's scope, the
/// request's own validation, `db_id`/`table` resolution, then the token's tenant check.
struct BatchEvaluationRoutes: Sendable {
    let services: GatewayServices
    let settings: BatchEvaluationSettings

    static let path: RouterPath = "/evaluations/batch-evaluate"

    func register(on router: Router<GatewayRequestContext>) {
        let group = router.group(Self.path)
            .add(middleware: AgentCoreErrorMiddleware())
            .add(middleware: AuthenticationMiddleware(services: services))
        group.post(use: start)
        group.get(use: list)
        group.get("{id}", use: get)
        group.delete("{id}", use: delete)
        group.post("{id}/stop", use: stop)
        for (path, allowed) in [("", Set<HTTPRequest.Method>([.get, .post])), ("{id}", [.get, .delete]), ("{id}/stop", [.post])] {
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !allowed.contains(method) {
                group.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw AgentCoreError(type: "UnknownOperationException", status: .notFound, message: "No operation matches this method and path")
                }
            }
        }
    }

    // MARK: - Handlers

    @Sendable func start(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.write, of: context.token)
        let body = try await collectBody(request)
        let input = try StartBatchEvaluationRequest(body: Array(body.readableBytesView))
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        let store = try jobStore(of: target)
        let id = BatchEvaluationIdentifiers.newID(name: input.name)
        let region = BatchEvaluationIdentifiers.signingRegion(authorization: request.headers[.authorization]) ?? settings.region
        var parameters = input.parameters
        if case .object(var members) = parameters {
            members["table"] = .string(target.table)
            parameters = .object(members)
        }
        let job = BatchEvaluation(
            id: id,
            arn: BatchEvaluationIdentifiers.arn(id: id, region: region, accountID: settings.accountID),
            name: input.name,
            description: input.description,
            evaluatorIDs: input.evaluatorIDs,
            sessions: input.sessions,
            dataSourceConfig: input.dataSourceConfig,
            createdAt: Timestamp.nowMilliseconds(),
            clientToken: input.clientToken,
            parametersHash: BatchEvaluationParameters.hash(parameters),
            evalRunsTable: target.table
        )
        let creation = try await store.createBatchEvaluation(job)
        if creation.created { services.catalog.announceJobStarted(databaseID: target.database.id) }
        return .json(status: .accepted) { BatchEvaluationWire.writeStarted(creation.job, to: &$0) }
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.read, of: context.token)
        let id = try pathID(context)
        let store = try jobStore(of: services.resolveTarget(request.uri.queryParameters, context: context))
        guard let job = try await store.batchEvaluation(id: id) else {
            throw AgentCoreError.notFound("Batch evaluation '\(id)' not found")
        }
        return .json { BatchEvaluationWire.writeDetail(job, to: &$0) }
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.read, of: context.token)
        let parameters = request.uri.queryParameters
        var limit = settings.defaultMaxResults
        if let raw = parameters["maxResults"] {
            guard let value = Int(raw) else {
                throw AgentCoreError.validation("Value '\(raw)' at 'maxResults' is not an integer", reason: "CannotParse")
            }
            guard (1...100).contains(value) else {
                throw AgentCoreError.fieldValidation([.init(
                    name: "maxResults",
                    message: "Value '\(value)' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100"
                )])
            }
            limit = value
        }
        let target = try services.resolveTarget(parameters, context: context)
        let store = try jobStore(of: target)
        var cursor: BatchEvaluationCursor?
        if let token = parameters["nextToken"], !token.isEmpty {
            guard let decoded = BatchEvaluationPageToken.decode(String(token), databaseID: target.database.id, using: services.cursors) else {
                throw AgentCoreError.validation("The nextToken is invalid or expired", fields: [.init(name: "nextToken", message: "Invalid pagination token")])
            }
            cursor = decoded
        }
        let page = try await store.listBatchEvaluations(limit: limit, after: cursor)
        let databaseID = target.database.id
        let cursors = services.cursors
        return .json { writer in
            writer.beginObject()
            writer.key("batchEvaluations")
            writer.beginArray()
            for job in page.jobs { BatchEvaluationWire.writeSummary(job, to: &writer) }
            writer.endArray()
            if let next = page.next {
                writer.key("nextToken"); writer.write(BatchEvaluationPageToken.encode(next, databaseID: databaseID, using: cursors))
            }
            writer.endObject()
        }
    }

    @Sendable func stop(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.write, of: context.token)
        let id = try pathID(context)
        let store = try jobStore(of: services.resolveTarget(request.uri.queryParameters, context: context))
        do {
            let job = try await store.stopBatchEvaluation(id: id, at: Timestamp.nowMilliseconds())
            return .json(status: .accepted) { BatchEvaluationWire.writeStopped(job, to: &$0) }
        } catch StorageError.conflict {
            throw AgentCoreError.conflict("Batch evaluation '\(id)' has already finished and cannot be stopped")
        } catch StorageError.notFound {
            throw AgentCoreError.notFound("Batch evaluation '\(id)' not found")
        }
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.delete, of: context.token)
        let id = try pathID(context)
        let target = try services.resolveTarget(request.uri.queryParameters, context: context)
        let store = try jobStore(of: target)
        let includeIDs = services.dataOperations.auditIncludesIDs
        let audit = AuditContext(principal: context.token?.name ?? AuditContext.openPrincipal, requestID: context.requestID, includeIDs: includeIDs)
            .record(databaseID: target.database.id, table: nil, kind: .batchEvaluation, digest: AuditDigest([id], keepingIDs: includeIDs))
        do {
            let deletion = try await store.deleteBatchEvaluation(id: id, audit: audit)
            return .json(status: .accepted) { BatchEvaluationWire.writeDeleted(deletion, to: &$0) }
        } catch StorageError.conflict {
            throw AgentCoreError.conflict(
                "Batch evaluation '\(id)' is still running. Stop it first (evalgw stop batch-evaluation -i \(id)), then delete it"
            )
        } catch StorageError.notFound {
            throw AgentCoreError.notFound("Batch evaluation '\(id)' not found")
        }
    }

    // MARK: - Shared steps

    /// The database's job store (400 if its adapter keeps no jobs).
    private func jobStore(of target: ResolvedTable) throws -> any BatchEvaluationStore {
        guard let store = target.database.batchEvaluations else {
            throw AgentCoreError.validation(
                "Database '\(target.database.id)' (adapter '\(target.database.adapter)') does not support batch evaluations",
                fields: [.init(name: "db_id", message: "The database's adapter keeps no batch-evaluation jobs")]
            )
        }
        return store
    }

    /// The `{id}` path segment as routed (still percent-encoded), decoded and checked against the id
    /// pattern.
    private func pathID(_ context: GatewayRequestContext) throws(AgentCoreError) -> String {
        let raw = context.parameters.get("id") ?? ""
        guard let id = raw.removingPercentEncoding else {
            throw .validation("The batch evaluation id is not valid percent-encoding", fields: [.init(name: "batchEvaluationId", message: "Malformed percent-encoding")])
        }
        guard BatchEvaluationIdentifiers.isValidID(id) else {
            let shown = id.unicodeScalars.count > 120 ? String(id.unicodeScalars.prefix(120)) + "…" : id
            throw .fieldValidation([.init(
                name: "batchEvaluationId",
                message: "Value '\(shown)' at 'batchEvaluationId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}"
            )])
        }
        return id
    }

    /// Reads the body up to the configured limit.
    private func collectBody(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: services.limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw AgentCoreError.validation("Request body is larger than the limit of \(services.limits.maxBodyBytes) bytes", reason: "CannotParse")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AgentCoreError.validation("Request body is larger than the limit of \(services.limits.maxBodyBytes) bytes", reason: "CannotParse")
        }
    }
}
