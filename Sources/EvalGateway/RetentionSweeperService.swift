import EvalGatewayCore
import ServiceLifecycle

/// Runs the retention sweeper as a service of the gateway's service group, beside the batch-evaluation
/// runner: it starts with the server and stops at graceful shutdown (a batch that has begun finishes;
/// the next is not started).
struct RetentionSweeperService: Service {
    let sweeper: RetentionSweeper

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await sweeper.run()
        }
    }
}
