import BatchEvaluationRunner
import EvalGatewayCore
import ServiceLifecycle

/// Keeps the gateway in step with the registry store as a service of the gateway's service group: it
/// applies changes made through other gateways, and passes job announcements of the fleet to the runner.
struct RegistryWatchService: Service {
    let registry: TenantRegistry
    let interval: Duration
    let runner: BatchEvaluationRunner?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await registry.watch(every: interval) { id in runner?.wake(databaseID: id) }
        }
    }
}
