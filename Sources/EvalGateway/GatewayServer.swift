public import EvalGatewayCore
public import EvalGatewayHTTP
public import Hummingbird
public import Logging
import BatchEvaluationRunner
import ServiceLifecycle

/// Assembles and runs the gateway: opens the registry store, registers the declared databases (opening
/// nothing: each connects on first use) and the registry's own, builds the router, serves until
/// SIGINT/SIGTERM, lets in-flight requests finish within the grace period, then closes the stores.
public struct GatewayServer: Sendable {
    /// The services the routes share.
    public let services: GatewayServices
    /// The tenant registry: declared entries and the registry store's.
    public let registry: TenantRegistry
    /// The configuration it was built from.
    public let configuration: GatewayConfiguration
    /// The batch-evaluation runner, when this gateway runs jobs.
    let runner: BatchEvaluationRunner?
    /// The retention sweeper, when this gateway sweeps.
    public let sweeper: RetentionSweeper?

    /// Opens the registry store through `adapters` and registers every database. With metrics on, they
    /// are recorded into a registry of this server's own (`services.metrics`), which `serve` also
    /// bootstraps globally. Cursors are sealed with the registry store's shared key
    /// (``fleetCursorKey(store:logger:)``).
    public init(configuration: GatewayConfiguration, registry adapters: AdapterRegistry, logger: Logger) async throws {
        let metrics = configuration.metricsEnabled ? MetricsExposition(requireToken: configuration.metricsRequireToken) : nil
        let storeMetrics = metrics.map { StoreMetricsProvider(factory: $0.factory, perDatabase: configuration.metricsPerDatabase) }
        let budget = GatewayConnectionBudget(limit: configuration.maxOpenConnections)
        let environment = StoreEnvironment(logger: logger, connectionBudget: budget)
        var databases: [RegisteredDatabase] = []
        for database in configuration.databases {
            let store = try await TenantRegistry.openStore(database, adapters: adapters, metrics: storeMetrics, environment: environment)
            databases.append(RegisteredDatabase(configuration: database, store: store))
        }
        let catalog = DatabaseCatalog(
            databases: databases,
            defaultDatabaseID: configuration.defaultDatabaseID,
            tokens: configuration.tokens.map { RegisteredToken(token: $0) },
            sigV4: configuration.sigV4
        )
        guard let kind = adapters.adapter(kind: configuration.registry.adapter) as? any RegistryStoreAdapter else {
            throw ConfigurationError(key: "registry.adapter", problem: "'\(configuration.registry.adapter)' cannot keep the registry")
        }
        let store = try await kind.makeRegistryStore(options: configuration.registry.options, logger: logger)
        let registry = TenantRegistry(catalog: catalog, store: store, adapters: adapters, metrics: storeMetrics, connectionBudget: budget, logger: logger)
        await registry.sync()
        // Jobs started here are announced to the other gateways of the fleet (their runners look at the
        // database, to take the job over if this gateway stops).
        catalog.onJobStarted { id in Task { await store.publish(.jobStarted(databaseID: id)) } }
        self.registry = registry
        self.configuration = configuration
        self.services = GatewayServices(
            catalog: catalog,
            registry: registry,
            limits: configuration.limits,
            dataOperations: configuration.dataOperations,
            metrics: metrics,
            cursors: CursorAuthenticator(key: await Self.fleetCursorKey(store: store, logger: logger)),
            logger: logger,
            osID: configuration.osID
        )
        self.runner = configuration.batch.enabled
            ? BatchEvaluationRunner(catalog: catalog, configuration: configuration.batch.runner, logger: logger)
            : nil
        // Each database's sweep takes a lease in the registry store, so in a fleet one gateway sweeps it.
        self.sweeper = configuration.retention.enabled
            ? RetentionSweeper(
                catalog: catalog,
                leases: store,
                configuration: RetentionSweeper.Configuration(
                    interval: .seconds(configuration.retention.intervalSeconds),
                    batchRows: configuration.dataOperations.filterBatchRows,
                    includeIDs: configuration.dataOperations.auditIncludesIDs,
                    ownerID: BatchEvaluationRunnerConfiguration.processOwnerID()
                ),
                metricsFactory: metrics?.factory,
                logger: logger
            )
            : nil
    }

    /// The key that seals the gateway's opaque cursors (`nextToken`): the registry store's shared key
    /// `cursor` (32 random bytes, created there on first start), so every gateway of a fleet — and this one
    /// after a restart — accepts the cursors any of them issued.
    ///
    /// A gateway that cannot read it at start (the registry store is down) still serves, with a random key
    /// of its own — nothing derived or guessable — so its cursors work only on itself until it restarts.
    static func fleetCursorKey(store: any RegistryStore, logger: Logger) async -> [UInt8] {
        do {
            let key = try await store.sharedKey(named: "cursor")
            if key.count >= 32 { return key }
            logger.warning("the registry store's cursor key is shorter than 32 bytes: using a key of this gateway's own")
        } catch {
            logger.warning("cannot read the cursor key from the registry store: using a key of this gateway's own; cursors this gateway issues work only on it", metadata: ["error": .string(String(describing: error))])
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
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
            server: .gateway(timeouts: configuration.connectionTimeouts, metrics: services.metrics?.requests),
            configuration: .init(address: .hostname(host, port: port), serverName: "evalgw"),
            logger: services.logger
        )
    }

    /// Serves until SIGINT or SIGTERM: then stops accepting, waits up to the grace period for in-flight
    /// requests, and closes the stores.
    public func run(host: String? = nil, port: Int? = nil) async throws {
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: application(host: host, port: port)),
            .init(service: RegistryWatchService(registry: registry, interval: .milliseconds(configuration.registry.pollIntervalMilliseconds), runner: runner)),
        ]
        if let runner {
            members.append(.init(service: BatchEvaluationRunnerService(runner: runner)))
        }
        if let sweeper {
            members.append(.init(service: RetentionSweeperService(sweeper: sweeper)))
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
            await shutdown()
            throw error
        }
        await shutdown()
        services.logger.info("stopped")
    }

    private func shutdown() async {
        await services.catalog.shutdown()
        await registry.close()
    }
}
