import ArgumentParser

/// `evalgw archive batch-evaluation -i ID` (= DeleteBatchEvaluation).
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Delete a finished job's record on a gateway.",
        subcommands: [ArchiveBatchEvaluation.self]
    )
}

/// Deletes a terminal batch evaluation's record (a running one must be stopped first). Its eval runs stay.
struct ArchiveBatchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-evaluation",
        abstract: "Delete (archive) a batch evaluation in a terminal state; stop a running one first."
    )

    @OptionGroup var job: BatchEvaluationIDOption
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("DELETE", path: job.path)
            CommandOutput.success(
                json: options.json, reply: reply, headline: "Batch evaluation archived successfully",
                lines: [("ID", reply.object?["batchEvaluationId"] as? String), ("Status", reply.object?["status"] as? String)]
            )
        }
    }
}
