import EvalGatewayCore
public import Hummingbird

/// An error on the Agno surface, rendered as `{"detail", "error_code"}` (+ `errors` on 422).
public struct AgnoError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A human sentence for the client.
    public var detail: String
    /// Field-level problems (422 only), as FastAPI reports them.
    public var errors: [ValidationIssue]
    /// Seconds after which a client may retry (503).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ detail: String, errors: [ValidationIssue] = [], retryAfter: Int? = nil) {
        self.status = status
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    /// A 422 with one field problem.
    public static func validation(_ issue: ValidationIssue) -> AgnoError {
        AgnoError(.unprocessableContent, issue.detailSentence, errors: [issue])
    }

    /// The `error_code` for a status.
    public static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "BAD_REQUEST"
        case 401: "UNAUTHENTICATED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 405: "METHOD_NOT_ALLOWED"
        case 409: "CONFLICT"
        case 413: "PAYLOAD_TOO_LARGE"
        case 422: "VALIDATION_ERROR"
        case 429: "THROTTLED"
        case 503: "BACKEND_UNAVAILABLE"
        default: status.code >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST"
        }
    }

    /// The response for this error.
    func response(requestID: String) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("detail"); writer.write(detail)
        writer.key("error_code"); writer.write(Self.code(for: status))
        if !errors.isEmpty {
            writer.key("errors")
            writer.beginArray()
            for issue in errors { issue.write(to: &writer) }
            writer.endArray()
        }
        if status.code >= 500 { writer.key("request_id"); writer.write(requestID) }
        writer.endObject()
        var response = Response.json(writer, status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// One field problem in a 422 body, FastAPI style: `{"loc": [...], "msg": "...", "type": "..."}`.
public struct ValidationIssue: Sendable, Equatable {
    /// Where: `["body", "eval_run_ids", 3]`, `["query", "limit"]`.
    public var location: [LocationPart]
    /// What is wrong.
    public var message: String
    /// A machine-readable type (`missing`, `string_type`, `too_short`, …).
    public var type: String

    /// One step of a location.
    public enum LocationPart: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// Creates an issue.
    public init(_ location: [LocationPart], _ message: String, type: String) {
        self.location = location
        self.message = message
        self.type = type
    }

    /// A configuration problem in a request body (`body.options.path: is required`), located by its key
    /// path.
    public init(configuration error: ConfigurationError) {
        var location: [LocationPart] = []
        for part in error.key.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                location.append(.key(String(rest[..<bracket])))
                rest = rest[bracket...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    let inside = rest[rest.index(after: rest.startIndex)..<close]
                    location.append(Int(inside).map(LocationPart.index) ?? .key(String(inside)))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                location.append(.key(String(rest)))
            }
        }
        self.init(location, error.problem, type: "value_error")
    }

    /// The issue as a sentence for `detail`.
    var detailSentence: String {
        let path = location.map { part -> String in
            switch part {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }.joined(separator: ".")
        return "Invalid request: \(path): \(message)"
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("loc")
        writer.beginArray()
        for part in location {
            switch part {
            case .key(let key): writer.write(key)
            case .index(let index): writer.write(index)
            }
        }
        writer.endArray()
        writer.key("msg"); writer.write(message)
        writer.key("type"); writer.write(type)
        writer.endObject()
    }
}
