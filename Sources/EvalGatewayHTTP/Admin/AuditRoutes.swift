import EvalGatewayCore
import Hummingbird
import HummingbirdCore
import Logging

/// `GET /admin/audit`: the audit trail of one database, several (`db_id=a,b,c`) or every one the token
/// may touch (`db_id=*`, the default), newest first, in pages, filtered by time, principal and kind.
struct AuditRoutes: Sendable {
    let services: GatewayServices

    /// How deep a page of several databases may go (`page × limit`): each database is read up to it.
    static let maximumFanOutDepth = 100_000

    func register(on router: Router<GatewayRequestContext>) {
        router.group("admin").add(middleware: AuthenticationMiddleware(services: services)).get("audit", use: list)
        MethodNotAllowedResponder.register(on: router, path: "/admin/audit", allowed: [.get])
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.admin, of: context.token)
        let parameters = request.uri.queryParameters
        let limit = try AdminQuery.positiveInteger(parameters, "limit", default: 20, maximum: 1000)
        let page = try AdminQuery.positiveInteger(parameters, "page", default: 1, maximum: Int(Int32.max))
        var query = AuditQuery(limit: limit)
        query.since = try Self.time(parameters, "since")
        query.until = try Self.time(parameters, "until")
        if let principal = parameters["principal"], !principal.isEmpty { query.principal = String(principal) }
        if let kind = parameters["kind"], !kind.isEmpty {
            guard let parsed = AuditKind(rawValue: String(kind)) else {
                let kinds = AuditKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw AgnoError.validation(ValidationIssue([.key("query"), .key("kind")], "Input should be one of \(kinds)", type: "enum"))
            }
            query.kind = parsed
        }
        let raw = parameters["db_id"].map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "*"
        let targets = try services.resolveDatabases(raw, table: nil, context: context)
        let isFanOut = raw == "*" || raw.utf8.contains(UInt8(ascii: ","))
        let (depth, overflow) = page.multipliedReportingOverflow(by: limit)
        if isFanOut, overflow || depth > Self.maximumFanOutDepth {
            throw AgnoError.validation(ValidationIssue(
                [.key("query"), .key("page")],
                "page × limit may be at most \(Self.maximumFanOutDepth) across several databases; narrow the window with since and until",
                type: "less_than_equal"
            ))
        }
        if isFanOut {
            query.limit = depth
        } else {
            query.offset = (page - 1).multipliedReportingOverflow(by: limit).partialValue
        }
        let logger = context.logger
        let pageQuery = query
        let results = await targets.concurrentMap(maxParallel: services.dataOperations.fanOutMaxParallel) { target -> (String, Result<AuditPage, any Error>) in
            do {
                return (target.database.id, .success(try await target.store.auditRecords(matching: pageQuery)))
            } catch {
                return (target.database.id, .failure(error))
            }
        }
        var records: [AuditRecord] = []
        var total = 0
        var failures: [(String, AgnoError)] = []
        for (id, result) in results {
            switch result {
            case .success(let part):
                records += part.records
                total += part.totalCount
            case .failure(let error):
                if !isFanOut { throw error }
                let (agnoError, underlying) = AgnoErrorMiddleware.agnoError(for: error)
                if agnoError.status.code >= 500 {
                    logger.error("audit read failed on one database", metadata: ["db_id": .string(id), "error": .string(underlying ?? agnoError.detail)])
                }
                failures.append((id, agnoError))
            }
        }
        if isFanOut {
            records.sort(by: AuditQuery.isNewer)
            let start = min(records.count, (page - 1) * limit)
            records = Array(records[start..<min(records.count, start + limit)])
        }
        return .json(status: failures.isEmpty ? .ok : .multiStatus) { writer in
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for record in records { AuditWire.write(record, to: &writer) }
            writer.endArray()
            writer.key("meta")
            writer.beginObject()
            writer.key("page"); writer.write(page)
            writer.key("limit"); writer.write(limit)
            writer.key("total_pages"); writer.write((total + limit - 1) / limit)
            writer.key("total_count"); writer.write(total)
            writer.endObject()
            if !failures.isEmpty {
                writer.key("failed")
                writer.beginObject()
                for (id, error) in failures {
                    writer.key(id)
                    writer.beginObject()
                    writer.key("error_code"); writer.write(AgnoError.code(for: error.status))
                    writer.key("detail"); writer.write(error.detail)
                    writer.endObject()
                }
                writer.endObject()
            }
            writer.endObject()
        }
    }

    /// An ISO 8601 time parameter as epoch milliseconds; 422 naming it when it does not parse.
    static func time(_ parameters: FlatDictionary<Substring, Substring>, _ name: String) throws(AgnoError) -> Int64? {
        guard let raw = parameters[Substring(name)], !raw.isEmpty else { return nil }
        guard let seconds = Timestamp.epochSeconds(iso8601: String(raw)) else {
            throw .validation(ValidationIssue(
                [.key("query"), .key(name)], "Input should be a valid datetime: an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SSZ)", type: "datetime_parsing"
            ))
        }
        return seconds * 1000
    }
}

/// How the admin API writes audit records.
enum AuditWire {
    /// `{id, at, principal, request_id, db_id, table, kind, ids_count, ids_sha256, filter, deleted}`, and
    /// `ids` when the record keeps them.
    static func write(_ record: AuditRecord, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.write(record.id)
        writer.key("at"); writer.write(Timestamp.iso8601(milliseconds: record.at))
        writer.key("principal"); writer.write(record.principal)
        writer.key("request_id"); writer.write(record.requestID)
        writer.key("db_id"); writer.write(record.databaseID)
        writer.key("table"); writer.write(record.table)
        writer.key("kind"); writer.write(record.kind.rawValue)
        writer.key("ids_count"); writer.write(record.idsCount)
        writer.key("ids_sha256"); writer.write(record.idsSHA256)
        writer.key("filter")
        if let filter = record.filter { writer.write(JSONText(stored: filter)) } else { writer.write(String?.none) }
        writer.key("deleted"); writer.write(record.deleted)
        if let ids = record.ids { writer.key("ids"); writer.write(strings: ids) }
        writer.endObject()
    }
}
