import ArgumentParser
import Foundation

/// `evalgw list batch-evaluation`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs on a gateway.",
        subcommands: [ListBatchEvaluation.self]
    )
}

/// Lists batch evaluations, newest first, one page (`--max-results`, `--next-token`).
struct ListBatchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch-evaluation", abstract: "List batch evaluations.")

    @Option(name: .customLong("max-results"), help: "The page size, 1…100.")
    var maxResults: Int?

    @Option(name: .customLong("next-token"), help: "The nextToken of the previous page.")
    var nextToken: String?

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            var query: [URLQueryItem] = []
            if let maxResults { query.append(URLQueryItem(name: "maxResults", value: String(maxResults))) }
            if let nextToken { query.append(URLQueryItem(name: "nextToken", value: nextToken)) }
            let reply = try await options.client().send("GET", path: BatchEvaluationIDOption.collectionPath, query: query)
            if options.json {
                CommandOutput.success(json: true, reply: reply, headline: nil, lines: [])
                return
            }
            let jobs = reply.object?["batchEvaluations"] as? [[String: Any]] ?? []
            if jobs.isEmpty { CommandOutput.line("No batch evaluations") }
            for job in jobs {
                let id = job["batchEvaluationId"] as? String ?? "?"
                let status = job["status"] as? String ?? "?"
                let created = job["createdAt"] as? String ?? ""
                CommandOutput.line("\(id)  \(status)  \(created)")
            }
            if let next = reply.object?["nextToken"] as? String { CommandOutput.line("Next token: \(next)") }
        }
    }
}
