import ArgumentParser
import EvalGatewayCore
import Foundation

/// `evalgw tokens list|put|delete`: bearer tokens, through the admin API.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "List, create and revoke bearer tokens on a running gateway (needs an admin token).",
        subcommands: [ListTokens.self, PutToken.self, DeleteToken.self]
    )
}

/// `evalgw tokens list`: name, scopes, databases and source — never a secret.
struct ListTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bearer tokens (never their secrets).")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("GET", path: "/admin/tokens")
            guard !options.json else { return CommandOutput.success(json: true, reply: reply, headline: nil, lines: []) }
            for token in reply.object?["data"] as? [[String: Any]] ?? [] {
                CommandOutput.line([
                    token["name"] as? String ?? "-",
                    (token["scopes"] as? [String] ?? []).joined(separator: ","),
                    (token["databases"] as? [String] ?? []).joined(separator: ","),
                    token["source"] as? String ?? "-",
                ].joined(separator: "\t"))
            }
        }
    }
}

/// `evalgw tokens put NAME --scope S… [--database D…] [--secret SECRET] [--rate N] [--burst N]`: prints the
/// secret, which the gateway shows only this once.
struct PutToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Create or replace a bearer token and print its secret (shown this once).",
        discussion: "Without --secret the gateway generates one (egw_ + 32 random bytes); only its SHA-256 is stored."
    )

    @Argument(help: "The token's name.") var name: String
    @Option(name: .customLong("scope"), help: "evals:read, evals:write, evals:delete or admin (repeatable).") var scopes: [String] = []
    @Option(name: .customLong("database"), help: "A db_id it may touch (repeatable; default all).") var databases: [String] = []
    @Option(name: .long, help: "The secret to use instead of a generated one.") var secret: String?
    @Option(name: .long, help: "Requests per second the token is allowed.") var rate: Double?
    @Option(name: .long, help: "Requests admitted at once (with --rate).") var burst: Int?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard !scopes.isEmpty else { throw ValidationError("give at least one --scope") }
        guard burst == nil || rate != nil else { throw ValidationError("--burst needs --rate") }
    }

    /// The request body the flags describe.
    func requestBody() -> Data {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("scopes"); writer.write(strings: scopes)
        if !databases.isEmpty { writer.key("databases"); writer.write(strings: databases) }
        if let secret { writer.key("token"); writer.write(secret) }
        if let rate { writer.key("rate"); writer.write(RateLimit(requestsPerSecond: rate, burst: burst)) }
        writer.endObject()
        return Data(writer.bytes)
    }

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("PUT", path: "/admin/tokens/\(GatewayClient.encode(name))", body: requestBody())
            CommandOutput.success(
                json: options.json, reply: reply, headline: "Token \(name) (the secret is shown only now):",
                lines: [("token", reply.object?["token"] as? String), ("scopes", (reply.object?["scopes"] as? [String])?.joined(separator: ", ")),
                        ("databases", (reply.object?["databases"] as? [String])?.joined(separator: ", "))]
            )
        }
    }
}

/// `evalgw tokens delete NAME`: revokes it on every gateway of the fleet.
struct DeleteToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Revoke a bearer token.")

    @Argument(help: "The token's name.") var name: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await CommandOutput.run(json: options.json) {
            let reply = try await options.client().send("DELETE", path: "/admin/tokens/\(GatewayClient.encode(name))")
            CommandOutput.success(json: options.json, reply: reply, headline: "Revoked token \(name)", lines: [])
        }
    }
}
