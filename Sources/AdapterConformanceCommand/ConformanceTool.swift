import ArgumentParser
public import EvalGatewayCore

/// A command-line tool that runs the conformance suite against the adapter kinds it registers: the way
/// an adapter package runs the suite against its own adapter, and what `swift package conformance`
/// builds and runs.
///
/// An adapter package declares an executable target that depends on this library and on its adapter,
/// with one file:
///
/// ```swift
/// import AdapterConformanceCommand
/// import EvalGatewayCore
/// import JSONFileAdapter
///
/// @main
/// enum JSONFileConformance: ConformanceTool {
///     static var registry: AdapterRegistry { AdapterRegistry([JSONFileAdapter()]) }
/// }
/// ```
///
/// Then, from the package's folder, `swift package conformance` runs every check against each registered
/// kind (or `--adapter KIND --option key=value …` against one, configured so). `evalgw conformance` is the
/// same command over the built-in kinds.
public protocol ConformanceTool {
    /// The adapter kinds the tool can test.
    static var registry: AdapterRegistry { get }

    /// The kinds tested when neither `--adapter` nor `--config` is given. Default: every registered kind.
    static var defaultKinds: [String] { get }

    /// The databases of a gateway configuration file, for `--config`. Default: the tool reads no
    /// configuration file, and `--config` is refused with a message saying so.
    static func databases(inConfigurationFile path: String) throws -> [DatabaseConfiguration]
}

extension ConformanceTool {
    public static var defaultKinds: [String] { registry.kinds }

    public static func databases(inConfigurationFile path: String) throws -> [DatabaseConfiguration] {
        throw ValidationError("this tool reads no configuration file: give --adapter KIND [--option KEY=VALUE …]")
    }

    /// Parses the command line and runs the conformance command; `tool conformance …` and `tool …` are
    /// the same, so the tool answers the plugin as `evalgw` does.
    public static func main() async {
        await ConformanceToolCommand<Self>.main()
    }
}

/// The root command of a ``ConformanceTool``: the `conformance` command, also run when no subcommand is
/// named.
struct ConformanceToolCommand<Tool: ConformanceTool>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) },
            abstract: "Run the storage-contract conformance suite against this tool's adapter kinds.",
            subcommands: [ConformanceCommand<Tool>.self],
            defaultSubcommand: ConformanceCommand<Tool>.self
        )
    }
}
