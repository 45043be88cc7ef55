import ArgumentParser
import EvalGateway
import Foundation
import EvalGatewayCore
import Logging
import Metrics

/// `evalgw serve`: runs the gateway.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway until SIGINT or SIGTERM.")

    @Option(name: .long, help: "The configuration file (default: config/gateway.yaml if it exists, else the embedded default: an SQLite file under ./data/ and an in-memory database).")
    var config: String?

    @Option(name: .long, help: "The address to bind (default: the configuration's server.host).")
    var host: String?

    @Option(name: .long, help: "The port to bind (default: the configuration's server.port).")
    var port: Int?

    /// The configuration file used when `--config` is not given, if it exists.
    static let defaultFile = "config/gateway.yaml"

    func run() async throws {
        let configuration: GatewayConfiguration
        let source: String
        do {
            if let config {
                (configuration, source) = (try GatewayConfiguration.load(path: config, registry: .builtIn), config)
            } else if FileManager.default.fileExists(atPath: Self.defaultFile) {
                (configuration, source) = (try GatewayConfiguration.load(path: Self.defaultFile, registry: .builtIn), Self.defaultFile)
            } else {
                (configuration, source) = (try GatewayConfiguration.embeddedDefault(registry: .builtIn), "the embedded default")
            }
        } catch {
            throw ValidationError("invalid configuration: \(error)")
        }
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .plain:
            LoggingSystem.bootstrap { label in
                var handler = PlainLogHandler(label: label)
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
        // Log lines are written in batches: what is pending goes out before the process ends.
        defer { LogSink.standardError.flush() }
        let logger = Logger(label: "evalgw")
        logger.info("configuration loaded", metadata: ["from": .string(source)])
        let server = try await GatewayServer(configuration: configuration, registry: .builtIn, logger: logger)
        if let metrics = server.services.metrics {
            // Once per process: libraries' own metrics (Hummingbird's among them) land in the same registry.
            MetricsSystem.bootstrap(metrics.factory)
        }
        try await server.run(host: host, port: port)
    }
}
