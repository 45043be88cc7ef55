import ArgumentParser
import EvalGateway
import EvalGatewayCore
import Logging
import Metrics

/// `evalgw serve`: runs the gateway.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway until SIGINT or SIGTERM.")

    @Option(name: .long, help: "The configuration file.")
    var config: String = "config/gateway.yaml"

    @Option(name: .long, help: "The address to bind (default: the configuration's server.host).")
    var host: String?

    @Option(name: .long, help: "The port to bind (default: the configuration's server.port).")
    var port: Int?

    func run() async throws {
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(path: config, registry: .builtIn)
        } catch {
            throw ValidationError("invalid configuration: \(error)")
        }
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .plain:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "evalgw")
        let server = try await GatewayServer(configuration: configuration, registry: .builtIn, logger: logger)
        if let metrics = server.services.metrics {
            // Once per process: libraries' own metrics (Hummingbird's among them) land in the same registry.
            MetricsSystem.bootstrap(metrics.factory)
        }
        try await server.run(host: host, port: port)
    }
}
