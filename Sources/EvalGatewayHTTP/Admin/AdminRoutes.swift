import EvalGatewayCore
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// The admin API: tenants as data. Databases and tokens are listed, created or replaced, and removed
/// without a restart; every call needs the `admin` scope and answers with Agno-style error bodies.
///
/// Entries declared in the configuration file are listed (`"source":"config"`) but cannot be changed
/// here (409). A write is in force on this gateway when the call returns, and on the other gateways of a
/// fleet that share the registry store within the registry's propagation delay.
struct AdminRoutes: Sendable {
    let services: GatewayServices
    let registry: TenantRegistry

    func register(on router: Router<GatewayRequestContext>) {
        let group = router.group("admin").add(middleware: AuthenticationMiddleware(services: services))
        group.get("databases", use: listDatabases)
        group.get("databases/{db_id}", use: getDatabase)
        group.put("databases/{db_id}", use: putDatabase)
        group.delete("databases/{db_id}", use: deleteDatabase)
        group.get("tokens", use: listTokens)
        group.put("tokens/{name}", use: putToken)
        group.delete("tokens/{name}", use: deleteToken)
        MethodNotAllowedResponder.register(on: router, path: "/admin/databases", allowed: [.get])
        MethodNotAllowedResponder.register(on: router, path: "/admin/databases/{db_id}", allowed: [.get, .put, .delete])
        MethodNotAllowedResponder.register(on: router, path: "/admin/tokens", allowed: [.get])
        MethodNotAllowedResponder.register(on: router, path: "/admin/tokens/{name}", allowed: [.put, .delete])
    }

    // MARK: - Databases

    @Sendable func listDatabases(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let parameters = request.uri.queryParameters
        let limit = try AdminQuery.positiveInteger(parameters, "limit", default: 20, maximum: 1000)
        let page = try AdminQuery.positiveInteger(parameters, "page", default: 1, maximum: Int(Int32.max))
        let all = services.catalog.databases.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let start = min(all.count, (page - 1).multipliedReportingOverflow(by: limit).partialValue)
        let slice = all[start..<min(all.count, start + limit)]
        return .json { writer in
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for database in slice { AdminWire.write(database, to: &writer) }
            writer.endArray()
            writer.key("meta")
            writer.beginObject()
            writer.key("page"); writer.write(page)
            writer.key("limit"); writer.write(limit)
            writer.key("total_pages"); writer.write((all.count + limit - 1) / limit)
            writer.key("total_count"); writer.write(all.count)
            writer.endObject()
            writer.endObject()
        }
    }

    @Sendable func getDatabase(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let id = try pathParameter("db_id", context)
        guard let database = services.catalog.database(id: id) else { throw Self.unknownDatabase(id) }
        return .json { AdminWire.write(database, to: &$0) }
    }

    @Sendable func putDatabase(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let id = try pathParameter("db_id", context)
        if let problem = DatabaseID.problem(with: id) {
            throw AgnoError.validation(ValidationIssue([.key("path"), .key("db_id")], problem, type: "value_error"))
        }
        let body = try await collectBody(request)
        let node = try ConfigNode(json: body.readableBytesView)
        let definition = try ConfigDecoder(keyPrefix: "body").decode(DatabaseDefinitionBody.self, from: node).definition
        let verify = request.uri.queryParameters["verify"].map { $0 == "true" || $0 == "1" } ?? false
        let (created, database) = try await registry.putDatabase(id: id, definition: definition, verify: verify)
        services.throttle.forget(.database, name: id)
        return .json(status: created ? .created : .ok) { AdminWire.write(database, to: &$0) }
    }

    @Sendable func deleteDatabase(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let id = try pathParameter("db_id", context)
        guard try await registry.removeDatabase(id: id) else { throw Self.unknownDatabase(id) }
        services.throttle.forget(.database, name: id)
        return Response(status: .noContent)
    }

    // MARK: - Tokens

    @Sendable func listTokens(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let tokens = services.catalog.tokens
        return .json { writer in
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for token in tokens { AdminWire.write(token, to: &writer) }
            writer.endArray()
            writer.endObject()
        }
    }

    @Sendable func putToken(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let name = try pathParameter("name", context)
        if let problem = TokenName.problem(with: name) {
            throw AgnoError.validation(ValidationIssue([.key("path"), .key("name")], problem, type: "value_error"))
        }
        let body = try await collectBody(request)
        let node = try ConfigNode(json: body.readableBytesView)
        let definition = try ConfigDecoder(keyPrefix: "body").decode(TokenDefinition.self, from: node)
        if definition.name != nil {
            throw AgnoError.validation(ValidationIssue([.key("body"), .key("name")], "is not a known key (the name is the path's)", type: "extra_forbidden"))
        }
        let (created, token, secret) = try await registry.putToken(name: name, definition: definition)
        services.throttle.forget(.token, name: name)
        return .json(status: created ? .created : .ok) { writer in
            writer.beginObject()
            writer.key("name"); writer.write(token.token.name)
            writer.key("token"); writer.write(secret)
            RegistryJSON.writeGrants(of: token.token, to: &writer)
            writer.endObject()
        }
    }

    @Sendable func deleteToken(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let name = try pathParameter("name", context)
        guard try await registry.removeToken(name: name) else {
            throw AgnoError(.notFound, "No token named '\(name)'")
        }
        services.throttle.forget(.token, name: name)
        return Response(status: .noContent)
    }

    // MARK: - Shared steps

    static func unknownDatabase(_ id: String) -> AgnoError { AgnoError(.notFound, "No database found with id '\(id)'") }

    private func pathParameter(_ name: String, _ context: GatewayRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    private func collectBody(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: services.limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw AgnoError(.contentTooLarge, "Request body is larger than the limit of \(services.limits.maxBodyBytes) bytes")
        }
    }
}

/// Reads the admin routes' query parameters.
enum AdminQuery {
    /// A whole number in `1...maximum`, or `defaultValue` when absent; 422 naming the parameter otherwise.
    static func positiveInteger(_ parameters: FlatDictionary<Substring, Substring>, _ name: String, default defaultValue: Int, maximum: Int) throws(AgnoError) -> Int {
        guard let raw = parameters[Substring(name)], !raw.isEmpty else { return defaultValue }
        guard let number = Int(raw) else {
            throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing"))
        }
        guard number >= 1 else {
            throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be greater than or equal to 1", type: "greater_than_equal"))
        }
        guard number <= maximum else {
            throw .validation(ValidationIssue([.key("query"), .key(name)], "Input should be less than or equal to \(maximum)", type: "less_than_equal"))
        }
        return number
    }
}

/// How the admin API writes databases and tokens.
enum AdminWire {
    /// `{db_id, adapter, options, tables, rate, retention, source, created_at, updated_at}`, secrets redacted.
    static func write(_ database: RegisteredDatabase, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("db_id"); writer.write(database.id)
        RegistryJSON.write(definitionOf: database.configuration, redacted: true, to: &writer)
        writer.key("source"); writer.write(database.source.rawValue)
        writer.key("created_at"); writer.write(database.createdAt.map(Timestamp.iso8601(milliseconds:)))
        writer.key("updated_at"); writer.write(database.updatedAt.map(Timestamp.iso8601(milliseconds:)))
        writer.endObject()
    }

    /// `{name, scopes, databases, rate, source, created_at}` — never a secret.
    static func write(_ token: RegisteredToken, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.write(token.token.name)
        RegistryJSON.writeGrants(of: token.token, to: &writer)
        writer.key("source"); writer.write(token.source.rawValue)
        writer.key("created_at"); writer.write(token.createdAt.map(Timestamp.iso8601(milliseconds:)))
        writer.endObject()
    }
}
