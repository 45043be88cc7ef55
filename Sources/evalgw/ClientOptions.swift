import ArgumentParser
import Foundation

/// The options every client subcommand shares: where the gateway is, how to authenticate, which
/// database and table, and how to print.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "The gateway's URL (default: $EVALGW_ENDPOINT or http://127.0.0.1:7070).")
    var endpoint: String?

    @Option(name: .long, help: "A bearer token (default: $EVALGW_TOKEN).")
    var token: String?

    @Option(name: .customLong("db-id"), help: "The database (db_id) to work on.")
    var databaseID: String?

    @Option(name: .long, help: "The eval-runs table of that database.")
    var table: String?

    @Option(name: .long, help: "The AWS region (accepted for compatibility with the agentcore CLI; the gateway names ARNs).")
    var region: String?

    @Flag(name: .long, help: "Print JSON: {\"success\": true, …} or {\"success\": false, \"error\": …}.")
    var json = false

    /// A client for these options.
    func client() throws -> GatewayClient {
        let environment = ProcessInfo.processInfo.environment
        let text = endpoint ?? environment["EVALGW_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:7070"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw GatewayClient.Failure(description: "invalid endpoint '\(text)': expected http://host:port")
        }
        return GatewayClient(endpoint: url, token: token ?? environment["EVALGW_TOKEN"], databaseID: databaseID, table: table)
    }
}

/// A batch-evaluation id option: `-i, --id`.
struct BatchEvaluationIDOption: ParsableArguments {
    @Option(name: [.customShort("i"), .customLong("id")], help: "The batch evaluation id.")
    var id: String

    /// The AgentCore path of the batch-evaluation collection.
    static let collectionPath = "/evaluations/batch-evaluate"

    /// The path of this job, its id percent-encoded.
    var path: String { "\(Self.collectionPath)/\(GatewayClient.encode(id))" }
}
