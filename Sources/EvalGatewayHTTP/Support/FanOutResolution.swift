import EvalGatewayCore
import Hummingbird
import HummingbirdCore

/// The databases a request names: one (`db_id=a`, or none, as every route resolves it), or several —
/// `db_id=a,b,c` or `db_id=*` — on the operations that fan out.
enum DatabaseSelection: Sendable {
    case one(ResolvedTable)
    /// Several databases (in the order named; `*`: in the catalog's order), each with its table.
    case many([ResolvedTable])

    /// The databases, however many.
    var targets: [ResolvedTable] {
        switch self {
        case .one(let target): [target]
        case .many(let targets): targets
        }
    }
}

extension GatewayServices {
    /// Resolves `db_id` for an operation that fans out: a list (`a,b,c`) or `*` (every database the token
    /// may touch) names several databases; anything else resolves as on every route.
    ///
    /// All of it is checked before anything runs, and every problem is the answer an unknown `db_id`
    /// gets, so a token learns nothing about databases it may not touch: an empty element (`a,,b`) or a
    /// repeated one names the whole value; an unknown database, or one the token may not touch, names that
    /// element. A `table` must be registered in every database named. Each database's rate is taken.
    func resolveSelection(_ parameters: FlatDictionary<Substring, Substring>, context: GatewayRequestContext) throws -> DatabaseSelection {
        // The comma is looked for in the bytes: `String.contains(_: String)` is Foundation's, a bridge to
        // `NSString` on every request.
        guard let raw = parameters["db_id"].map(String.init), raw == "*" || raw.utf8.contains(UInt8(ascii: ",")) else {
            return .one(try resolveTarget(parameters, context: context))
        }
        let table = parameters["table"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let targets = try resolveDatabases(raw, table: table, context: context)
        context.trace.record(databaseID: raw == "*" ? "*" : targets.map(\.database.id).joined(separator: ","), adapter: "fan-out")
        for target in targets {
            if let rate = target.database.configuration.rate { try admit(.database, name: target.database.id, rate: rate) }
        }
        return .many(targets)
    }

    /// The databases `raw` names — `*`, a list `a,b,c`, or one id — each with `table` (or its default
    /// table), by the rules of ``resolveSelection(_:context:)``.
    func resolveDatabases(_ raw: String, table: String?, context: GatewayRequestContext) throws(ResolutionError) -> [ResolvedTable] {
        let databases: [RegisteredDatabase]
        if raw == "*" {
            databases = catalog.databases.filter { context.token?.mayAccess(databaseID: $0.id) ?? true }
        } else {
            let names = raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains(where: \.isEmpty), Set(names.map(BytewiseString.init)).count == names.count else {
                throw ResolutionError.notFound("No database found with id '\(raw)'")
            }
            databases = try names.map { name throws(ResolutionError) in
                guard let database = catalog.database(id: name), context.token?.mayAccess(databaseID: name) ?? true else {
                    throw ResolutionError.notFound("No database found with id '\(name)'")
                }
                return database
            }
        }
        return try databases.map { database throws(ResolutionError) in
            guard let table else { return ResolvedTable(database: database, table: database.configuration.defaultTable) }
            guard database.configuration.tables.contains(table) else {
                throw ResolutionError.notFound("No database with id '\(database.id)' has table '\(table)'")
            }
            return ResolvedTable(database: database, table: table)
        }
    }
}
