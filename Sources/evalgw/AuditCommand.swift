import ArgumentParser
import EvalGatewayCore
import Foundation

/// `evalgw audit list`: the audit trail through the admin API (needs an admin token).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit trail of deletes on a running gateway (needs an admin token).",
        subcommands: [ListAuditRecords.self]
    )
}

/// `evalgw audit list [--db-id ID|a,b|'*'] [--since T] [--until T] [--principal P] [--kind K] [--json]`:
/// one line per record, newest first, or the gateway's page with `--json`.
struct ListAuditRecords: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List audit records, newest first (one page).",
        discussion: "--db-id takes one database, a comma-separated list, or '*' (every database the token may touch; the default)."
    )

    @Option(name: .long, help: "Only records at or after this ISO 8601 time.") var since: String?
    @Option(name: .long, help: "Only records before this ISO 8601 time.") var until: String?
    @Option(name: .long, help: "Only records of this principal (a token's name, open, or retention).") var principal: String?
    @Option(name: .long, help: "Only records of this kind: ids, filter, retention, batch_evaluation.") var kind: String?
    @Option(name: .long, help: "Page size (1–1000).") var limit: Int = 100
    @Option(name: .long, help: "Page number, from 1.") var page: Int = 1
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            var query = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "page", value: String(page))]
            for (name, value) in [("since", since), ("until", until), ("principal", principal), ("kind", kind)] {
                if let value { query.append(URLQueryItem(name: name, value: value)) }
            }
            let reply = try await options.client().send("GET", path: "/admin/audit", query: query)
            let failed = reply.object?["failed"] as? [String: [String: Any]] ?? [:]
            if options.json {
                let body = String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                CommandOutput.line("{\"success\":\(failed.isEmpty)," + body.dropFirst())
            } else {
                for record in reply.object?["data"] as? [[String: Any]] ?? [] {
                    let fields: [String] = [
                        record["at"] as? String ?? "-", record["db_id"] as? String ?? "-", record["table"] as? String ?? "-",
                        record["kind"] as? String ?? "-", record["principal"] as? String ?? "-",
                        "deleted=\(record["deleted"] as? Int ?? 0)", "ids=\(record["ids_count"] as? Int ?? 0)",
                        "request=\(record["request_id"] as? String ?? "-")",
                    ]
                    CommandOutput.line(fields.joined(separator: "\t"))
                }
                let meta = reply.object?["meta"] as? [String: Any] ?? [:]
                CommandOutput.line("page \(meta["page"] ?? page) of \(meta["total_pages"] ?? "?"), \(meta["total_count"] ?? "?") records in all")
                for (id, error) in failed.sorted(by: { $0.key < $1.key }) {
                    CommandOutput.error("\(id): \(error["error_code"] as? String ?? "ERROR"): \(error["detail"] as? String ?? "")\n")
                }
            }
            if !failed.isEmpty { throw ExitCode.failure }
        }
    }
}
