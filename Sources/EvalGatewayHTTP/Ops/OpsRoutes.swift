import EvalGatewayCore
import Hummingbird
import Synchronization

/// Operational routes: liveness, readiness, metrics and the OpenAPI document. `/health` and `/ready`
/// are always open; `/metrics` needs a token when configured so.
struct OpsRoutes: Sendable {
    let services: GatewayServices

    /// How long `/ready` waits for each backend.
    static let readinessTimeout = Duration.seconds(2)

    func register(on router: Router<GatewayRequestContext>) {
        router.get("health") { _, _ -> Response in
            .json { writer in
                writer.beginObject()
                writer.key("status"); writer.write("ok")
                writer.endObject()
            }
        }
        router.get("ready", use: ready)
        router.get("openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: OpenAPIDocument.json))
        }
        if let metrics = services.metrics {
            let group = router.group("metrics")
            if metrics.requireToken { group.add(middleware: AuthenticationMiddleware(services: services)) }
            let batchJobs = BatchJobGauges(catalog: services.catalog, factory: metrics.factory)
            group.get { _, _ -> Response in
                services.catalog.samplePools()
                await batchJobs.sample()
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer()))
                )
            }
        }
    }

    /// Pings the declared databases and every other one in use at once, each with a short timeout (a
    /// database registered through the API that nothing has used since start is not opened for it):
    /// 200 when all answer, else 503 naming the databases that did not.
    /// `registry` says whether the registry store was reachable at the last check (`stale`: the gateway
    /// serves its last known registry).
    @Sendable func ready(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let inUse = services.catalog.databases.filter { $0.source == .config || (($0.store as? TenantStore)?.hasBeenUsed ?? true) }
        let failing = await withTaskGroup(of: String?.self) { group in
            for database in inUse {
                group.addTask {
                    let answered = await Self.answers(within: Self.readinessTimeout) { try await database.store.ping() }
                    return answered ? nil : database.id
                }
            }
            var failing: [String] = []
            for await id in group { if let id { failing.append(id) } }
            return failing.sorted()
        }
        let all = inUse.map(\.id)
        return .json(status: failing.isEmpty ? .ok : .serviceUnavailable) { writer in
            writer.beginObject()
            if failing.isEmpty {
                writer.key("status"); writer.write("ready")
            } else {
                writer.key("detail"); writer.write("Databases not ready: \(failing.joined(separator: ", "))")
                writer.key("error_code"); writer.write("BACKEND_UNAVAILABLE")
                writer.key("status"); writer.write("not_ready")
            }
            if let registry = services.registry {
                writer.key("registry"); writer.write(registry.isStale ? "stale" : "ok")
            }
            writer.key("databases")
            writer.beginObject()
            for id in all { writer.key(id); writer.write(failing.contains(id) ? "unavailable" : "ok") }
            writer.endObject()
            writer.endObject()
        }
    }

    /// Whether `body` finishes without error within `timeout`. A backend call that ignores cancellation
    /// (a blocked driver call) is left to finish on its own; the answer does not wait for it.
    static func answers(within timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> Bool {
        let answer = FirstAnswer()
        return await withCheckedContinuation { continuation in
            answer.install(continuation)
            Task { answer.give((try? await body()) != nil) }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give(false)
            }
        }
    }
}

/// Resumes a continuation with the first answer given and ignores the rest.
private final class FirstAnswer: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Bool, Never>?, answered: Bool)>((nil, false))

    func install(_ continuation: CheckedContinuation<Bool, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func give(_ value: Bool) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.answered else { return nil }
            state.answered = true
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}
