import BatchEvaluationRunner
import ServiceLifecycle

/// Runs the batch-evaluation runner as a service of the gateway's service group: it starts with the
/// server and, at graceful shutdown, hands the jobs it holds back to the backend.
struct BatchEvaluationRunnerService: Service {
    let runner: BatchEvaluationRunner

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await runner.run()
        }
    }
}
