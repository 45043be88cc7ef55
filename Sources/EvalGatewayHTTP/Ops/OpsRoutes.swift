import EvalGatewayCore
import Hummingbird

/// Operational routes, open without a token: liveness and the OpenAPI document.
struct OpsRoutes: Sendable {
    func register(on router: Router<GatewayRequestContext>) {
        router.get("health") { _, _ -> Response in
            .json { writer in
                writer.beginObject()
                writer.key("status"); writer.write("ok")
                writer.endObject()
            }
        }
        router.get("openapi.json") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
    }
}
