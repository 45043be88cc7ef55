public import EvalGatewayCore
import MemoryAdapter
import SQLiteAdapter

extension AdapterRegistry {
    /// The adapter kinds that ship with the gateway: `memory` and `sqlite`.
    /// A third party adds its own with ``AdapterRegistry/register(_:)`` before start.
    public static var builtIn: AdapterRegistry {
        AdapterRegistry([MemoryAdapter(), SQLiteAdapter()])
    }
}
