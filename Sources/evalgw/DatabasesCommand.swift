import ArgumentParser
import EvalGatewayCore
import Foundation

/// `evalgw databases list|get|put|delete`: the registry's databases, through the admin API.
struct DatabasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "databases",
        abstract: "List, show, register and remove databases on a running gateway (needs an admin token).",
        subcommands: [ListDatabases.self, GetDatabase.self, PutDatabase.self, DeleteDatabase.self]
    )
}

/// `evalgw databases list`: one line per database, or the gateway's page with `--json`.
struct ListDatabases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered databases.")

    @Option(name: .long, help: "Page size (1–1000).") var limit: Int = 100
    @Option(name: .long, help: "Page number, from 1.") var page: Int = 1
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let query = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "page", value: String(page))]
            let reply = try await options.client().send("GET", path: "/admin/databases", query: query)
            guard !options.json else { return CommandOutput.success(json: true, reply: reply, headline: nil, lines: []) }
            for database in reply.object?["data"] as? [[String: Any]] ?? [] {
                let tables = (database["tables"] as? [String] ?? []).joined(separator: ",")
                CommandOutput.line([database["db_id"] as? String ?? "-", database["adapter"] as? String ?? "-", tables, database["source"] as? String ?? "-"].joined(separator: "\t"))
            }
            let meta = reply.object?["meta"] as? [String: Any] ?? [:]
            CommandOutput.line("page \(meta["page"] ?? page) of \(meta["total_pages"] ?? "?"), \(meta["total_count"] ?? "?") databases in all")
        }
    }
}

/// `evalgw databases get DB_ID`.
struct GetDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one database (secrets redacted).")

    @Argument(help: "The db_id.") var id: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("GET", path: "/admin/databases/\(GatewayClient.encode(id))")
            CommandOutput.success(json: options.json, reply: reply, headline: nil, lines: AdminOutput.lines(ofDatabase: reply))
        }
    }
}

/// `evalgw databases put DB_ID --adapter KIND [--option KEY=VALUE]… [--tables T,…] [--rate N] [--burst N]
/// [--retention-days N] [--verify]`, or `--body FILE` with the JSON body.
struct PutDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Register or replace a database.",
        discussion: "The entry is validated exactly as a databases[] entry of the configuration file. Option values that read as integers or true/false are sent as such."
    )

    @Argument(help: "The db_id.") var id: String
    @Option(name: .long, help: "The adapter kind (memory, sqlite, postgres, …).") var adapter: String?
    @Option(name: .customLong("option"), help: "An adapter option, KEY=VALUE (repeatable), e.g. path=./data/a.sqlite or url=postgresql://…") var adapterOptions: [String] = []
    @Option(name: .customLong("tables"), help: "The eval-runs tables, comma-separated (the first is the default; default agno_eval_runs).") var tableList: String?
    @Option(name: .long, help: "Requests per second the database accepts.") var rate: Double?
    @Option(name: .long, help: "Requests admitted at once (with --rate).") var burst: Int?
    @Option(name: .customLong("retention-days"), help: "Delete eval runs older than this many days.") var retentionDays: Int?
    @Option(name: .long, help: "A file with the whole JSON body ('-' for stdin), instead of the flags above.") var body: String?
    @Flag(name: .long, help: "Contact the database first; refuse it if it cannot be reached.") var verify = false
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard (adapter == nil) != (body == nil) else { throw ValidationError("give --adapter (with its flags) or --body FILE") }
        guard burst == nil || rate != nil else { throw ValidationError("--burst needs --rate") }
        for option in adapterOptions where !option.contains("=") { throw ValidationError("--option '\(option)' is not KEY=VALUE") }
    }

    /// The request body the flags describe.
    func requestBody() throws -> Data {
        if let body {
            return body == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: body))
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("adapter"); writer.write(adapter ?? "")
        writer.key("options")
        writer.beginObject()
        for option in adapterOptions {
            let (key, value) = option.split(separator: "=", maxSplits: 1).map(String.init).pair
            writer.key(key)
            writer.write(ConfigValue(plainScalar: value))
        }
        writer.endObject()
        if let tableList { writer.key("tables"); writer.write(strings: tableList.split(separator: ",").map(String.init)) }
        if let rate { writer.key("rate"); writer.write(RateLimit(requestsPerSecond: rate, burst: burst)) }
        if let retentionDays {
            writer.key("retention")
            writer.beginObject()
            writer.key("max_age_days"); writer.write(retentionDays)
            writer.endObject()
        }
        writer.endObject()
        return Data(writer.bytes)
    }

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let query = verify ? [URLQueryItem(name: "verify", value: "true")] : []
            let reply = try await options.client().send("PUT", path: "/admin/databases/\(GatewayClient.encode(id))", query: query, body: try requestBody())
            CommandOutput.success(
                json: options.json, reply: reply, headline: reply.status == 201 ? "Registered database \(id)" : "Replaced database \(id)",
                lines: AdminOutput.lines(ofDatabase: reply)
            )
        }
    }
}

/// `evalgw databases delete DB_ID`: the gateway forgets it; its data is untouched.
struct DeleteDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a database from the registry (its data is untouched).")

    @Argument(help: "The db_id.") var id: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("DELETE", path: "/admin/databases/\(GatewayClient.encode(id))")
            CommandOutput.success(json: options.json, reply: reply, headline: "Removed database \(id)", lines: [])
        }
    }
}

/// Text output of admin replies.
enum AdminOutput {
    static func lines(ofDatabase reply: GatewayClient.Reply) -> [(String, String?)] {
        let object = reply.object ?? [:]
        var lines: [(String, String?)] = [
            ("db_id", object["db_id"] as? String), ("adapter", object["adapter"] as? String),
            ("tables", (object["tables"] as? [String])?.joined(separator: ", ")), ("source", object["source"] as? String),
        ]
        for (key, value) in (object["options"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append(("option \(key)", "\(value)"))
        }
        if let rate = object["rate"] as? [String: Any] {
            lines.append(("rate", "\(rate["requests_per_second"] ?? "?")/s, burst \(rate["burst"] ?? "?")"))
        }
        if let retention = object["retention"] as? [String: Any] { lines.append(("retention", "\(retention["max_age_days"] ?? "?") days")) }
        lines += [("created_at", object["created_at"] as? String), ("updated_at", object["updated_at"] as? String)]
        return lines
    }
}

extension Array where Element == String {
    /// The first two elements (the second empty if missing).
    var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
