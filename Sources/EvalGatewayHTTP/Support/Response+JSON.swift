public import EvalGatewayCore
public import Hummingbird

extension Response {
    /// A JSON response with the writer's bytes.
    public static func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes))
        )
    }

    /// A JSON response built by `build`.
    public static func json(status: HTTPResponse.Status = .ok, _ build: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter()
        build(&writer)
        return json(writer, status: status)
    }
}
