import EvalGatewayCore
import Hummingbird
import HummingbirdCore

extension GatewayServices {
    /// Resolves a request's `db_id`/`table` query parameters through the catalog, records the database
    /// for the request log and checks that the token may touch it: the one resolution step every
    /// surface shares.
    func resolveTarget(_ parameters: FlatDictionary<Substring, Substring>, context: GatewayRequestContext) throws -> ResolvedTable {
        let target = try catalog.resolve(
            databaseID: parameters["db_id"].map(String.init),
            table: parameters["table"].map(String.init)
        )
        context.trace.record(databaseID: target.database.id, adapter: target.database.adapter)
        try AccessPolicy.require(databaseID: target.database.id, for: context.token)
        return target
    }
}
