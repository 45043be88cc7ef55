public import EvalGatewayCore
public import EvalGatewayHTTP
public import Hummingbird
public import Logging
import BatchEvaluationRunner
import ServiceLifecycle

/// Assembles and runs the gateway: opens the databases (each wrapped in the metrics decorator), builds
/// the router, serves until SIGINT/SIGTERM, lets in-flight requests finish within the grace period,
/// then closes the stores.
public struct GatewayServer: Sendable {
    /// The services the routes share.
    public let services: GatewayServices
    /// The configuration it was built from.
    public let configuration: GatewayConfiguration

    /// Opens every configured database through `registry`. With metrics on, they are recorded into a
    /// registry of this server's own (`services.metrics`), which `serve` also bootstraps globally.
    public init(configuration: GatewayConfiguration, registry: AdapterRegistry, logger: Logger) async throws {
        let metrics = configuration.metricsEnabled ? MetricsExposition(requireToken: configuration.metricsRequireToken) : nil
        let catalog = try await DatabaseCatalog.open(
            configuration.databases,
            defaultDatabaseID: configuration.defaultDatabaseID,
            registry: registry,
            metrics: metrics?.factory,
            logger: logger
        )
        self.configuration = configuration
        self.services = GatewayServices(
            catalog: catalog,
            access: AccessPolicy(tokens: configuration.tokens, sigV4: configuration.sigV4),
            limits: configuration.limits,
            metrics: metrics,
            logger: logger
        )
    }

    /// The HTTP application, bound to `host`:`port` (the configuration's by default).
    public func application(host: String? = nil, port: Int? = nil) -> some ApplicationProtocol {
        let host = host ?? configuration.host
        let port = port ?? configuration.port
        if services.access.isOpen, !["127.0.0.1", "localhost", "::1"].contains(host) {
            services.logger.warning("no auth tokens or SigV4 access keys are configured and the gateway is bound to \(host): anyone who can reach it can read and delete eval runs")
        }
        return Application(
            router: buildGatewayRouter(services: services, batchEvaluations: configuration.batch.settings),
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler(), ClientDisconnectHandler()])),
            configuration: .init(address: .hostname(host, port: port), serverName: "evalgw"),
            logger: services.logger
        )
    }

    /// Serves until SIGINT or SIGTERM: then stops accepting, waits up to the grace period for in-flight
    /// requests, and closes the stores.
    public func run(host: String? = nil, port: Int? = nil) async throws {
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application(host: host, port: port))]
        if configuration.batch.enabled {
            let runner = BatchEvaluationRunner(catalog: services.catalog, configuration: configuration.batch.runner, logger: services.logger)
            members.append(.init(service: BatchEvaluationRunnerService(runner: runner)))
        }
        var group = ServiceGroupConfiguration(
            services: members,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: services.logger
        )
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownGraceSeconds)
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            await services.catalog.shutdown()
            throw error
        }
        await services.catalog.shutdown()
        services.logger.info("stopped")
    }
}
