import ArgumentParser
import Foundation

/// `evalgw start batch-evaluation`.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a job on a gateway.",
        subcommands: [StartBatchEvaluation.self]
    )
}

/// Starts a batch evaluation over the given sessions, or sends a StartBatchEvaluation body from a file.
struct StartBatchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-evaluation",
        abstract: "Start a batch evaluation.",
        discussion: "Either --name with --session ids (and --evaluator ids), or --input with a full StartBatchEvaluation JSON body."
    )

    @Option(name: [.customShort("n"), .long], help: "The job name ([a-zA-Z][a-zA-Z0-9_]{0,47}).")
    var name: String?

    @Option(name: .customLong("evaluator"), help: "An evaluator id (repeatable), e.g. Builtin.Correctness.")
    var evaluators: [String] = []

    @Option(name: .customLong("session"), help: "A session id to evaluate (repeatable).")
    var sessions: [String] = []

    @Option(name: .customLong("service-name"), help: "The CloudWatch service name sent in dataSourceConfig.")
    var serviceName = "evalgw"

    @Option(name: .customLong("log-group"), help: "The CloudWatch log group sent in dataSourceConfig.")
    var logGroup = "evalgw"

    @Option(name: .long, help: "A description (≤ 200 characters).")
    var description: String?

    @Option(name: .customLong("client-token"), help: "An idempotency token (33–256 characters; default: a new UUID-based one).")
    var clientToken: String?

    @Option(name: .long, help: "A file holding a complete StartBatchEvaluation JSON body ('-' for stdin).")
    var input: String?

    @OptionGroup var options: ClientOptions

    func validate() throws {
        if input == nil, name == nil { throw ValidationError("give --name (with --session ids) or --input FILE") }
    }

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("POST", path: BatchEvaluationIDOption.collectionPath, body: try body())
            let object = reply.object ?? [:]
            CommandOutput.success(json: options.json, reply: reply, headline: "Batch evaluation started successfully", lines: [
                ("ID", object["batchEvaluationId"] as? String),
                ("ARN", object["batchEvaluationArn"] as? String),
                ("Status", object["status"] as? String),
            ])
        }
    }

    private func body() throws -> Data {
        if let input {
            let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
            return data
        }
        var request: [String: Any] = [
            "batchEvaluationName": name ?? "",
            "evaluators": evaluators.map { ["evaluatorId": $0] },
            "dataSourceConfig": ["cloudWatchLogs": [
                "serviceNames": [serviceName], "logGroupNames": [logGroup], "filterConfig": ["sessionIds": sessions],
            ]],
            "clientToken": clientToken ?? "evalgw-cli-" + UUID().uuidString.lowercased(),
        ]
        if let description { request["description"] = description }
        return try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
    }
}
