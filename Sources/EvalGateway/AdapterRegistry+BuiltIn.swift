public import EvalGatewayCore
import MemoryAdapter
import PostgresAdapter
import SQLiteAdapter

extension AdapterRegistry {
    /// The adapter kinds that ship with the gateway: `memory`, `sqlite` and `postgres`.
    /// A third party adds its own with ``AdapterRegistry/register(_:)`` before start.
    public static var builtIn: AdapterRegistry {
        AdapterRegistry([MemoryAdapter(), SQLiteAdapter(), PostgresAdapter()])
    }
}
