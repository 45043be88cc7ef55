import EvalGatewayCore
import Hummingbird
import HummingbirdCore

extension GatewayServices {
    /// Resolves a request's `db_id`/`table` query parameters for the request's token and records the
    /// database for the request log: the one resolution step every surface shares. A database the token
    /// may not touch is answered as an unknown one (404), so no route tells a tenant about another's.
    func resolveTarget(_ parameters: FlatDictionary<Substring, Substring>, context: GatewayRequestContext) throws -> ResolvedTable {
        let target = try catalog.resolve(
            databaseID: parameters["db_id"].map(String.init),
            table: parameters["table"].map(String.init),
            for: context.token
        )
        context.trace.record(databaseID: target.database.id, adapter: target.database.adapter)
        return target
    }
}
