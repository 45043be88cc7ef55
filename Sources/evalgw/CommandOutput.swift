import ArgumentParser
import EvalGatewayCore
import Foundation

/// How client subcommands print results and errors, in text or JSON.
enum CommandOutput {
    /// Where output goes: standard output (one line per call) and standard error (as given), unless a
    /// test collects them.
    struct Streams: Sendable {
        /// Writes one line of output.
        var line: @Sendable (String) -> Void
        /// Writes text to the error stream.
        var error: @Sendable (String) -> Void

        /// The process's standard output and standard error.
        static let standard = Streams(line: { print($0) }, error: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// The streams of the running command.
    @TaskLocal static var streams = Streams.standard

    /// Writes one line of output.
    static func line(_ text: String) { streams.line(text) }

    /// Writes `text` to the error stream.
    static func error(_ text: String) { streams.error(text) }

    /// Prints a success: in JSON, `{"success": true, <the gateway's members…>}`; in text, the headline
    /// then `Label: value` lines.
    static func success(json: Bool, reply: GatewayClient.Reply, headline: String?, lines: [(String, String?)]) {
        if json {
            let body = String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if body.hasPrefix("{"), body.count > 2 {
                line("{\"success\":true," + body.dropFirst())
            } else {
                line("{\"success\":true}")
            }
            return
        }
        if let headline { line(headline) }
        for (label, value) in lines {
            if let value { line("\(label): \(value)") }
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
            line(writer.text)
        } else {
            error("Error: \(message)\n")
        }
    }

    /// Runs `body`, printing any error in the requested format and exiting with code 1 on failure. An
    /// `ExitCode` thrown by `body` (which printed its own results) passes through as it is.
    static func run(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let code as ExitCode {
            throw code
        } catch {
            failure(json: json, "\(error)")
            throw ExitCode.failure
        }
    }
}
