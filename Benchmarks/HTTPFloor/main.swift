import Hummingbird

// The floor under the gateway's HTTP path: Hummingbird's own HTTP/1 server with one route and nothing
// else (no middleware, no log line, no metrics, none of the gateway's connection handlers), so that
// `Benchmarks/http_cost.sh` can put the gateway's CPU time per request next to the framework's own.
//
//   evalgw-http-floor PORT     serves GET /health on 127.0.0.1:PORT until SIGINT or SIGTERM

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 18099
let router = Router()
router.get("health") { _, _ in #"{"status":"ok"}"# }
let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await application.runService()
