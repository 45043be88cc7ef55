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
///
/// `evalgw eval-runs delete --user-id U [--created-before T] [--dry-run]` (and the other filter flags):
/// one delete by filter. With `--db-id a,b` or `--db-id '*'` either form fans out over several
/// databases; the results are printed per database, and the exit status is non-zero if any failed.
struct DeleteEvalRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete eval runs by id, or every run matching a filter.",
        discussion: """
            By id: each chunk is one atomic request; a failure stops at that chunk and reports what earlier chunks removed.
            By filter (--user-id, --agent-id, --team-id, --workflow-id, --model-id, --eval-types, --created-before, --created-after): \
            one request; the gateway deletes in batches, each atomic and audited. --dry-run counts instead.
            --db-id a,b,c or --db-id '*' fans out over several databases (each its own atomic delete); \
            the exit status is non-zero if any database failed — rerun to finish (deletes are idempotent).
            """
    )

    @Argument(help: "Eval run ids.") var ids: [String] = []
    @Option(name: .customLong("ids-file"), help: "A file with one id per line ('-' for stdin).") var idsFile: String?
    @Option(name: .customLong("chunk-size"), help: "Ids per request.") var chunkSize: Int = 10_000
    @Option(name: .customLong("user-id"), help: "Filter: runs of this user.") var userID: String?
    @Option(name: .customLong("agent-id"), help: "Filter: runs of this agent.") var agentID: String?
    @Option(name: .customLong("team-id"), help: "Filter: runs of this team.") var teamID: String?
    @Option(name: .customLong("workflow-id"), help: "Filter: runs of this workflow.") var workflowID: String?
    @Option(name: .customLong("model-id"), help: "Filter: runs of this model.") var modelID: String?
    @Option(name: .customLong("eval-types"), help: "Filter: comma-separated eval types.") var evalTypes: String?
    @Option(name: .customLong("created-before"), help: "Filter: runs created before this ISO 8601 time.") var createdBefore: String?
    @Option(name: .customLong("created-after"), help: "Filter: runs created at or after this ISO 8601 time.") var createdAfter: String?
    @Flag(name: .customLong("dry-run"), help: "With a filter: count what would be deleted, delete nothing.") var dryRun = false
    @OptionGroup var options: ClientOptions

    /// The filter's members, as the body carries them.
    var filterMembers: [(String, String)] {
        [("user_id", userID), ("agent_id", agentID), ("team_id", teamID), ("workflow_id", workflowID), ("model_id", modelID),
         ("created_before", createdBefore), ("created_after", createdAfter)].compactMap { key, value in value.map { (key, $0) } }
    }

    var hasFilter: Bool { !filterMembers.isEmpty || evalTypes != nil }

    func validate() throws {
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size must be at least 1") }
        let hasIDs = !ids.isEmpty || idsFile != nil
        guard hasIDs != hasFilter else {
            throw ValidationError(hasIDs
                ? "give ids or filter flags (--user-id, …), not both"
                : "give ids as arguments, --ids-file FILE, or filter flags (--user-id, --agent-id, --team-id, --workflow-id, --model-id, --eval-types, --created-before, --created-after)")
        }
        guard !dryRun || hasFilter else { throw ValidationError("--dry-run needs filter flags") }
    }

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            if hasFilter { try await deleteByFilter() } else { try await deleteByIDs() }
        }
    }

    /// One request with `{"filter": …}`; prints the gateway's answer per database.
    private func deleteByFilter() async throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("filter")
        writer.beginObject()
        for (key, value) in filterMembers { writer.key(key); writer.write(value) }
        if let evalTypes { writer.key("eval_types"); writer.write(strings: evalTypes.split(separator: ",").map(String.init)) }
        writer.endObject()
        writer.endObject()
        let query = dryRun ? [URLQueryItem(name: "dry_run", value: "true")] : []
        let reply = try await options.client().send("DELETE", path: "/eval-runs", query: query, body: Data(writer.bytes), headers: ["Prefer": "return=representation"])
        let results = DeleteResults(reply: reply, dryRun: dryRun)
        results.print(json: options.json, reply: reply)
        if !results.failed.isEmpty { throw ExitCode.failure }
    }

    /// Chunks of ids, one atomic request each.
    private func deleteByIDs() async throws {
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
        var perDatabase: [String: Int] = [:]
        var order: [String] = []
        var failed: [String: String] = [:]
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
            let results = DeleteResults(reply: reply, dryRun: false)
            for (id, count) in results.deleted {
                if perDatabase[id] == nil { order.append(id) }
                perDatabase[id, default: 0] += count
            }
            for (id, message) in results.failed where failed[id] == nil { failed[id] = message }
            sent += chunk.count
            if showProgress {
                CommandOutput.error("\r\(sent)/\(all.count) ids sent, \(deleted) deleted")
            }
        }
        if showProgress { CommandOutput.error("\n") }
        if options.json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("success"); writer.write(failed.isEmpty)
            writer.key("deleted"); writer.write(deleted)
            writer.key("not_found"); writer.write(strings: notFound)
            if !order.isEmpty || !failed.isEmpty {
                writer.key("databases")
                writer.beginObject()
                for id in order {
                    writer.key(id)
                    writer.beginObject()
                    writer.key("deleted"); writer.write(perDatabase[id] ?? 0)
                    writer.endObject()
                }
                for (id, message) in failed.sorted(by: { $0.key < $1.key }) where perDatabase[id] == nil {
                    writer.key(id)
                    writer.beginObject()
                    writer.key("error"); writer.write(message)
                    writer.endObject()
                }
                writer.endObject()
            }
            writer.endObject()
            CommandOutput.line(writer.text)
        } else {
            for id in order { CommandOutput.line("\(id)\tdeleted \(perDatabase[id] ?? 0)") }
            for (id, message) in failed.sorted(by: { $0.key < $1.key }) { CommandOutput.line("\(id)\tFAILED \(message)") }
            CommandOutput.line("Deleted \(deleted) eval runs" + (notFound.isEmpty ? "" : "; \(notFound.count) ids not found"))
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}

/// A delete's answer, per database: what each deleted (or would delete), and which failed.
struct DeleteResults {
    /// Per database, in the answer's order: rows deleted (or counted by a dry run).
    var deleted: [(String, Int)] = []
    /// Per database that failed: `CODE: detail`.
    var failed: [(String, String)] = []
    /// The total deleted (or counted).
    var total: Int
    let dryRun: Bool

    init(reply: GatewayClient.Reply, dryRun: Bool) {
        self.dryRun = dryRun
        let object = reply.object ?? [:]
        let key = dryRun ? "would_delete" : "deleted"
        total = object[key] as? Int ?? 0
        // The databases in the order the gateway wrote them (JSONSerialization loses it): by position.
        let names = Self.memberNames(ofDatabasesIn: reply.body)
        let databases = object["databases"] as? [String: [String: Any]] ?? [:]
        for name in names {
            guard let result = databases[name] else { continue }
            if let code = result["error_code"] as? String {
                let partial = (result["deleted"] as? Int).map { " (\($0) deleted before the failure)" } ?? ""
                failed.append((name, "\(code): \(result["detail"] as? String ?? "")\(partial)"))
            } else {
                deleted.append((name, result[key] as? Int ?? 0))
            }
        }
    }

    /// Prints the results: the gateway's body with `"success"` in JSON, else one line per database and
    /// a total.
    func print(json: Bool, reply: GatewayClient.Reply) {
        if json {
            let body = String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if body.hasPrefix("{"), body.count > 2 {
                CommandOutput.line("{\"success\":\(failed.isEmpty)," + body.dropFirst())
            } else {
                CommandOutput.line("{\"success\":\(failed.isEmpty),\"deleted\":0}")
            }
            return
        }
        for (id, count) in deleted { CommandOutput.line("\(id)\t\(dryRun ? "would delete" : "deleted") \(count)") }
        for (id, message) in failed { CommandOutput.line("\(id)\tFAILED \(message)") }
        let databases = deleted.count + failed.count
        let verb = dryRun ? "Would delete" : "Deleted"
        CommandOutput.line("\(verb) \(total) eval runs" + (databases > 0 ? " in \(deleted.count) of \(databases) databases" : "")
            + (failed.isEmpty ? "" : "; \(failed.count) failed (run it again to finish: deletes are idempotent)"))
    }

    /// The member names of the answer's `databases` object, in order.
    private static func memberNames(ofDatabasesIn body: Data) -> [String] {
        let bytes = Array(body)
        return bytes.withUnsafeBytes { raw -> [String] in
            var scanner = JSONScanner(raw)
            var names: [String] = []
            do {
                guard try scanner.peekKind() == .object else { return [] }
                try scanner.beginObject()
                var index = 0
                while let key = try scanner.nextMember(&index) {
                    guard key == "databases", try scanner.peekKind() == .object else {
                        _ = try scanner.skipValue()
                        continue
                    }
                    try scanner.beginObject()
                    var inner = 0
                    while let name = try scanner.nextMember(&inner) {
                        names.append(name)
                        _ = try scanner.skipValue()
                    }
                }
            } catch {
                return names
            }
            return names
        }
    }
}
