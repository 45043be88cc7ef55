import ArgumentParser
import EvalGatewayCore
import Foundation

/// How client subcommands print results and errors, in text or JSON.
enum CommandOutput {
    /// Prints a success: in JSON, `{"success": true, <the gateway's members…>}`; in text, the headline
    /// then `Label: value` lines.
    static func success(json: Bool, reply: GatewayClient.Reply, headline: String?, lines: [(String, String?)]) {
        if json {
            let body = String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if body.hasPrefix("{"), body.count > 2 {
                print("{\"success\":true," + body.dropFirst())
            } else {
                print("{\"success\":true}")
            }
            return
        }
        if let headline { print(headline) }
        for (label, value) in lines {
            if let value { print("\(label): \(value)") }
        }
    }

    /// Prints a failure (JSON on stdout, text on stderr). The caller exits with code 1.
    static func failure(json: Bool, _ message: String) {
        if json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("success"); writer.write(false)
            writer.key("error"); writer.write(message)
            writer.endObject()
            print(writer.text)
        } else {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        }
    }

    /// Runs `body`, printing any error in the requested format and exiting with code 1 on failure.
    static func run(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            failure(json: json, "\(error)")
            throw ExitCode.failure
        }
    }
}
