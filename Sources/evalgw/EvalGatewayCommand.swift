import AdapterConformanceCommand
import ArgumentParser

/// `evalgw`: the gateway server and its command-line client.
@main
struct EvalGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgw",
        abstract: "A gateway for evaluation-run stores: Agno eval-runs API over SQLite, Postgres and memory.",
        subcommands: [
            Serve.self, ConformanceCommand<BuiltInConformance>.self, StartCommand.self, GetCommand.self, ListCommand.self, StopCommand.self,
            ArchiveCommand.self, EvalRunsCommand.self, DatabasesCommand.self, TokensCommand.self, AuditCommand.self,
        ]
    )
}
