import ArgumentParser

/// `evalgw get batch-evaluation -i ID`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show a job on a gateway.",
        subcommands: [GetBatchEvaluation.self]
    )
}

/// Shows a batch evaluation: its state and counters.
struct GetBatchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch-evaluation", abstract: "Show a batch evaluation.")

    @OptionGroup var job: BatchEvaluationIDOption
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("GET", path: job.path)
            let object = reply.object ?? [:]
            let results = object["evaluationResults"] as? [String: Any] ?? [:]
            func count(_ key: String) -> String? { (results[key] as? Int).map(String.init) }
            CommandOutput.success(json: options.json, reply: reply, headline: nil, lines: [
                ("ID", object["batchEvaluationId"] as? String),
                ("Name", object["batchEvaluationName"] as? String),
                ("ARN", object["batchEvaluationArn"] as? String),
                ("Status", object["status"] as? String),
                ("Created", object["createdAt"] as? String),
                ("Updated", object["updatedAt"] as? String),
                ("Sessions", count("totalNumberOfSessions")),
                ("Completed", count("numberOfSessionsCompleted")),
                ("In progress", count("numberOfSessionsInProgress")),
                ("Failed", count("numberOfSessionsFailed")),
                ("Ignored", count("numberOfSessionsIgnored")),
                ("Error", (object["errorDetails"] as? [String])?.first),
            ])
        }
    }
}
