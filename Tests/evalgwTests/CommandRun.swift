import AdapterConformanceCommand
import ArgumentParser
@testable import evalgw
import Synchronization

/// What one `evalgw` invocation printed and how it ended.
struct CommandRun: Sendable {
    /// The lines written to standard output (the conformance report included).
    var lines: [String]
    /// The text written to standard error.
    var errorText: String
    /// The exit code `evalgw` would exit with.
    var exitCode: Int32

    /// Parses `arguments` as `evalgw` does, runs the command in this process with its output collected,
    /// and reports the exit code the executable would have exited with: 0, or the code of the error it
    /// threw (a usage error is 64).
    static func evalgw(_ arguments: [String]) async -> CommandRun {
        let collected = Collected()
        let streams = CommandOutput.Streams(
            line: { line in collected.state.withLock { $0.lines.append(line) } },
            error: { text in collected.state.withLock { $0.error += text } }
        )
        let code: Int32 = await CommandOutput.$streams.withValue(streams) {
            await ConformanceOutput.$writeLine.withValue(streams.line) {
                do {
                    var command = try EvalGatewayCommand.parseAsRoot(arguments)
                    if var command = command as? any AsyncParsableCommand {
                        try await command.run()
                    } else {
                        try command.run()
                    }
                    return 0
                } catch {
                    // As `evalgw` would: help and version on standard output, everything else on
                    // standard error.
                    let code = EvalGatewayCommand.exitCode(for: error).rawValue
                    let message = EvalGatewayCommand.message(for: error)
                    if !message.isEmpty {
                        if code == 0 { streams.line(message) } else { streams.error(message + "\n") }
                    }
                    return code
                }
            }
        }
        let state = collected.state.withLock { $0 }
        return CommandRun(lines: state.lines, errorText: state.error, exitCode: code)
    }

    /// The output as one text.
    var output: String { lines.joined(separator: "\n") }
}

/// Output collected from a command.
private final class Collected: Sendable {
    let state = Mutex<(lines: [String], error: String)>(([], ""))
}
