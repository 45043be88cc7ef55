import ArgumentParser

/// `evalgw stop batch-evaluation -i ID`.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a running job on a gateway.",
        subcommands: [StopBatchEvaluation.self]
    )
}

/// Asks the gateway to stop a pending or running batch evaluation (it becomes STOPPING, then STOPPED).
struct StopBatchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch-evaluation", abstract: "Stop a batch evaluation.")

    @OptionGroup var job: BatchEvaluationIDOption
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("POST", path: job.path + "/stop")
            CommandOutput.success(
                json: options.json, reply: reply, headline: "Batch evaluation stopped successfully",
                lines: [("ID", reply.object?["batchEvaluationId"] as? String), ("Status", reply.object?["status"] as? String)]
            )
        }
    }
}
