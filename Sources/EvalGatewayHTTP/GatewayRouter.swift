import EvalGatewayCore
public import Hummingbird

/// Builds the gateway's router: the request-log and error middleware, then each surface's route group
/// over the same services.
/// `batchEvaluations` names and pages the AgentCore surface's jobs.
public func buildGatewayRouter(services: GatewayServices, batchEvaluations: BatchEvaluationSettings = BatchEvaluationSettings()) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    if let metrics = services.metrics { router.add(middleware: HTTPMetricsMiddleware(metrics: metrics.requests)) }
    router.add(middleware: AgnoErrorMiddleware())
    router.add(middleware: ClientDisconnectMiddleware())
    OpsRoutes(services: services).register(on: router)
    EvalRunRoutes(services: services).register(on: router)
    ConfigRoutes(services: services).register(on: router)
    if let registry = services.registry { AdminRoutes(services: services, registry: registry).register(on: router) }
    AuditRoutes(services: services).register(on: router)
    BatchEvaluationRoutes(services: services, settings: batchEvaluations).register(on: router)
    return router
}
