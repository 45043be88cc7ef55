import EvalGatewayCore
import Hummingbird

/// `GET /config`: Agno AgentOS's discovery document (`ConfigResponse`), which Agno's own client
/// (`AgentOSClient.get_config()`) and the AgentOS UI read to find the databases and their eval tables.
/// Built from the live registry, it lists only the databases the caller's token may touch (all, on an
/// open gateway); this gateway serves evals only, so agents, teams, workflows and interfaces are empty.
struct ConfigRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayRequestContext>) {
        router.group("config").add(middleware: AuthenticationMiddleware(services: services)).get(use: config)
        MethodNotAllowedResponder.register(on: router, path: "/config", allowed: [.get])
    }

    @Sendable func config(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try AccessPolicy.require(.read, of: context.token)
        let databases = services.catalog.databases.filter { context.token?.mayAccess(databaseID: $0.id) ?? true }
        return .json { writer in
            writer.beginObject()
            writer.key("os_id"); writer.write(services.osID)
            writer.key("name"); writer.write(nil as String?)
            writer.key("description"); writer.write("EvalGateway: Agno eval runs and AgentCore batch evaluations over many databases")
            writer.key("available_models"); writer.beginArray(); writer.endArray()
            writer.key("databases"); writer.write(strings: databases.map(\.id))
            writer.key("evals")
            writer.beginObject()
            writer.key("display_name"); writer.write("Evals")
            writer.key("dbs")
            writer.beginArray()
            for database in databases {
                writer.beginObject()
                writer.key("db_id"); writer.write(database.id)
                writer.key("domain_config")
                writer.beginObject()
                writer.key("display_name"); writer.write(database.id)
                writer.endObject()
                writer.key("tables"); writer.write(strings: database.configuration.tables)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            for empty in ["agents", "teams", "workflows", "interfaces"] {
                writer.key(empty); writer.beginArray(); writer.endArray()
            }
            writer.key("company"); writer.write(nil as String?)
            writer.endObject()
        }
    }
}
