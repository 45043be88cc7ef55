import HTTPTypes

/// Which of the gateway's APIs a request is for, and so which error body it gets: the AgentCore
/// batch-evaluation routes answer AWS rest-json errors, every other path the Agno `{"detail",
/// "error_code"}` body.
enum RequestSurface: Equatable {
    /// `/eval-runs`, the ops routes and any unknown path.
    case agno
    /// `/evaluations/batch-evaluate` and below.
    case agentCore

    /// The surface of a request target (origin form `/path?query`, or absolute form `http://host/path`).
    init(target: Substring) {
        var path = target
        if let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...]
            path = path.firstIndex(of: "/").map { path[$0...] } ?? ""
        }
        let prefix = "/evaluations/batch-evaluate"
        guard path.hasPrefix(prefix) else { self = .agno; return }
        let rest = path.dropFirst(prefix.count)
        self = rest.isEmpty || ["/", "?", "#"].contains(rest.first!) ? .agentCore : .agno
    }

    /// The surface named by the request line at the start of `head`, the raw bytes of a request head
    /// (possibly cut short); `.agno` when they hold no request line.
    init(headStart head: [UInt8]) {
        let line = head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let words = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { self = .agno; return }
        self.init(target: Substring(decoding: words[1], as: UTF8.self))
    }

    /// The header fields and body of an error response on this surface; a request that never reached
    /// the router (its head could not be read) is answered with it.
    func errorResponse(status: HTTPResponse.Status, message: String, requestID: String) -> (fields: HTTPFields, body: [UInt8]) {
        var (fields, body): (HTTPFields, [UInt8])
        switch self {
        case .agno:
            (fields, body) = AgnoError(status, message).encoded(requestID: requestID)
        case .agentCore:
            (fields, body) = AgentCoreError(type: "ValidationException", status: status, message: message, reason: "CannotParse").encoded()
            fields[.xAmznRequestID] = requestID
        }
        fields[.xRequestID] = requestID
        return (fields, body)
    }
}
