import EvalGatewayCore
public import Hummingbird

/// Builds the gateway's router: the request-log and error middleware, then each surface's route group
/// over the same services.
public func buildGatewayRouter(services: GatewayServices) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: AgnoErrorMiddleware())
    OpsRoutes().register(on: router)
    EvalRunRoutes(services: services).register(on: router)
    return router
}
