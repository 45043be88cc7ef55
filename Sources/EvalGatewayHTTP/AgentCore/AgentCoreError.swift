import EvalGatewayCore
public import Hummingbird

/// An error on the AgentCore surface, encoded as AWS's rest-json protocol does: the status, an
/// `x-amzn-ErrorType: <Name>` header and a `{"__type": "<Name>", "message": "…"}` body, plus `reason`
/// and `fieldList` for a ValidationException. boto3 raises it as `client.exceptions.<Name>`.
public struct AgentCoreError: Error, Sendable {
    /// The exception name (`ValidationException`, `ConflictException`, …).
    public var type: String
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A human sentence.
    public var message: String
    /// A ValidationException's reason (`CannotParse`, `FieldValidationFailed`, …).
    public var reason: String?
    /// A ValidationException's field problems.
    public var fieldList: [Field]
    /// Seconds after which a client may retry.
    public var retryAfter: Int?

    /// One field problem: `{"name", "message"}`.
    public struct Field: Sendable, Equatable {
        /// The member's name (`batchEvaluationName`, `evaluators[2].evaluatorId`).
        public var name: String
        /// What is wrong with it.
        public var message: String

        /// Creates a field problem.
        public init(name: String, message: String) {
            self.name = name
            self.message = message
        }
    }

    /// Creates an error.
    public init(type: String, status: HTTPResponse.Status, message: String, reason: String? = nil, fieldList: [Field] = [], retryAfter: Int? = nil) {
        self.type = type
        self.status = status
        self.message = message
        self.reason = reason
        self.fieldList = fieldList
        self.retryAfter = retryAfter
    }

    /// 400 ValidationException.
    public static func validation(_ message: String, reason: String = "FieldValidationFailed", fields: [Field] = []) -> AgentCoreError {
        AgentCoreError(type: "ValidationException", status: .badRequest, message: message, reason: reason, fieldList: fields)
    }

    /// 400 ValidationException, reason FieldValidationFailed, for these field problems.
    public static func fieldValidation(_ fields: [Field]) -> AgentCoreError {
        let count = fields.count
        let message = "\(count) validation error\(count == 1 ? "" : "s") detected: " + fields.map(\.message).joined(separator: "; ")
        return validation(message, fields: fields)
    }

    /// 404 ResourceNotFoundException.
    public static func notFound(_ message: String) -> AgentCoreError {
        AgentCoreError(type: "ResourceNotFoundException", status: .notFound, message: message)
    }

    /// 409 ConflictException.
    public static func conflict(_ message: String) -> AgentCoreError {
        AgentCoreError(type: "ConflictException", status: .conflict, message: message)
    }

    /// The response for this error.
    func response(requestID: String) -> Response {
        let (fields, body) = encoded()
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The header fields and the JSON body of this error's response.
    func encoded() -> (fields: HTTPFields, body: [UInt8]) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("__type"); writer.write(type)
        writer.key("message"); writer.write(message)
        if let reason { writer.key("reason"); writer.write(reason) }
        if !fieldList.isEmpty {
            writer.key("fieldList")
            writer.beginArray()
            for field in fieldList {
                writer.beginObject()
                writer.key("name"); writer.write(field.name)
                writer.key("message"); writer.write(field.message)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        var fields: HTTPFields = [.contentType: "application/json", .xAmznErrorType: type]
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return (fields, writer.bytes)
    }
}
