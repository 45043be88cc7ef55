import ArgumentParser
import EvalGatewayCore
import Foundation

/// `evalgw eval-runs list|get|delete`: the Agno `/eval-runs` API from the command line.
struct EvalRunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-runs",
        abstract: "List, get and delete eval runs on a gateway.",
        subcommands: [ListEvalRuns.self, GetEvalRun.self, DeleteEvalRuns.self]
    )
}

/// `evalgw eval-runs list`: one page of runs, as the gateway returns it (`--json`) or one line per run.
struct ListEvalRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List eval runs (one page).")

    @Option(name: .long, help: "Page size.") var limit: Int = 20
    @Option(name: .long, help: "Page number, from 1.") var page: Int = 1
    @Option(name: .customLong("sort-by"), help: "Column to sort by.") var sortBy: String?
    @Option(name: .customLong("sort-order"), help: "asc or desc.") var sortOrder: String?
    @Option(name: .customLong("agent-id"), help: "Only runs of this agent.") var agentID: String?
    @Option(name: .customLong("eval-types"), help: "Comma-separated eval types.") var evalTypes: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            var query = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "page", value: String(page))]
            for (name, value) in [("sort_by", sortBy), ("sort_order", sortOrder), ("agent_id", agentID), ("eval_types", evalTypes)] {
                if let value { query.append(URLQueryItem(name: name, value: value)) }
            }
            let reply = try await options.client().send("GET", path: "/eval-runs", query: query)
            if options.json {
                CommandOutput.success(json: true, reply: reply, headline: nil, lines: [])
                return
            }
            let runs = reply.object?["data"] as? [[String: Any]] ?? []
            for run in runs {
                let fields = ["id", "eval_type", "name", "created_at"].map { (run[$0] as? String) ?? "-" }
                CommandOutput.line(fields.joined(separator: "\t"))
            }
            let meta = reply.object?["meta"] as? [String: Any] ?? [:]
            CommandOutput.line("page \(meta["page"] ?? page) of \(meta["total_pages"] ?? "?"), \(meta["total_count"] ?? "?") runs in all")
        }
    }
}

/// `evalgw eval-runs get ID`.
struct GetEvalRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one eval run.")

    @Argument(help: "The eval run id.") var id: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("GET", path: "/eval-runs/\(GatewayClient.encode(id))")
            CommandOutput.success(
                json: options.json, reply: reply, headline: nil,
                lines: ["id", "eval_type", "name", "agent_id", "team_id", "workflow_id", "created_at", "updated_at"].map { ($0, reply.object?[$0] as? String) }
            )
        }
    }
}

/// `evalgw eval-runs delete ID… | --ids-file FILE`: deletes in chunks (one request each, each atomic),
/// with a progress line on a terminal, and reports the total removed and the ids not found.
struct DeleteEvalRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete eval runs by id.",
        discussion: "Each chunk is one atomic request; a failure stops at that chunk and reports what earlier chunks removed."
    )

    @Argument(help: "Eval run ids.") var ids: [String] = []
    @Option(name: .customLong("ids-file"), help: "A file with one id per line ('-' for stdin).") var idsFile: String?
    @Option(name: .customLong("chunk-size"), help: "Ids per request.") var chunkSize: Int = 10_000
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size must be at least 1") }
        guard !ids.isEmpty || idsFile != nil else { throw ValidationError("give ids as arguments or --ids-file FILE") }
    }

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            var all = ids
            if let idsFile {
                let text = idsFile == "-"
                    ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    : try String(contentsOfFile: idsFile, encoding: .utf8)
                all += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            var seen: Set<String> = []
            all = all.filter { seen.insert($0).inserted }  // an id repeated across chunks is sent once
            let client = try options.client()
            let showProgress = !options.json && isatty(STDERR_FILENO) == 1
            var deleted = 0
            var notFound: [String] = []
            var sent = 0
            for start in stride(from: 0, to: all.count, by: chunkSize) {
                let chunk = Array(all[start..<min(start + chunkSize, all.count)])
                var writer = JSONWriter(capacity: chunk.count * 40)
                writer.beginObject()
                writer.key("eval_run_ids"); writer.write(strings: chunk)
                writer.endObject()
                let reply: GatewayClient.Reply
                do {
                    reply = try await client.send("DELETE", path: "/eval-runs", body: Data(writer.bytes), headers: ["Prefer": "return=representation"])
                } catch {
                    throw GatewayClient.Failure(description: "\(error) (after \(sent) of \(all.count) ids; \(deleted) runs deleted by earlier requests)")
                }
                deleted += reply.object?["deleted"] as? Int ?? 0
                notFound += reply.object?["not_found"] as? [String] ?? []
                sent += chunk.count
                if showProgress {
                    CommandOutput.error("\r\(sent)/\(all.count) ids sent, \(deleted) deleted")
                }
            }
            if showProgress { CommandOutput.error("\n") }
            if options.json {
                var writer = JSONWriter()
                writer.beginObject()
                writer.key("success"); writer.write(true)
                writer.key("deleted"); writer.write(deleted)
                writer.key("not_found"); writer.write(strings: notFound)
                writer.endObject()
                CommandOutput.line(writer.text)
            } else {
                CommandOutput.line("Deleted \(deleted) eval runs" + (notFound.isEmpty ? "" : "; \(notFound.count) ids not found"))
            }
        }
    }
}
