import EvalGatewayCore
import Hummingbird
import HummingbirdCore

extension GatewayServices {
    /// Resolves a request's `db_id`/`table` query parameters for the caller's token (a database it may
    /// not touch is answered as an unknown one), records the database for the request log, and takes the
    /// request from the database's rate: the one resolution step every surface shares.
    func resolveTarget(_ parameters: FlatDictionary<Substring, Substring>, context: GatewayRequestContext) throws -> ResolvedTable {
        let target = try catalog.resolve(
            databaseID: parameters["db_id"].map(String.init),
            table: parameters["table"].map(String.init),
            for: context.token
        )
        context.trace.record(databaseID: target.database.id, adapter: target.database.adapter)
        if let rate = target.database.configuration.rate {
            try admit(.database, name: target.database.id, rate: rate)
        }
        return target
    }

    /// Takes one request from the bucket of `name`; throws ``ThrottledError`` (429) when it is empty.
    func admit(_ scope: ThrottleScope, name: String, rate: RateLimit) throws(ThrottledError) {
        guard let wait = throttle.admit(scope, name: name, rate: rate) else { return }
        metrics?.throttled.record(scope: scope, name: name)
        throw ThrottledError(scope: scope, name: name, retryAfter: wait)
    }
}
