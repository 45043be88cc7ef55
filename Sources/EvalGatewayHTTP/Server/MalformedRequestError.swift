public import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// A request that is not well-formed HTTP/1.1: a bad chunk size, a chunk longer than declared, a line
/// without its CRLF, a body that ends before its `Content-Length`, a head over the size limit.
///
/// It is the client's mistake, so both surfaces answer it as one — 400 (431 for a head over the limit)
/// with their error body — and the connection closes after the answer, since the rest of its bytes can
/// no longer be framed. A route meets it when it reads the body of such a request.
public struct MalformedRequestError: Error, Sendable, Equatable {
    /// 400, or 431 for a request head over the limit.
    public var status: HTTPResponse.Status
    /// A sentence for the client.
    public var message: String

    /// Creates an error.
    public init(status: HTTPResponse.Status = .badRequest, message: String) {
        self.status = status
        self.message = message
    }

    /// The error for what the HTTP/1 decoder reported, or `nil` if `error` is not a decoding error.
    init?(decoding error: any Error, limits: RequestHeadLimits) {
        if error is HTTP1TypeConversionError {
            self.init(message: "Malformed HTTP request: the request line is not valid HTTP/1.1")
            return
        }
        guard let error = error as? HTTPParserError else { return nil }
        switch error {
        case .headerOverflow:
            self.init(
                status: .requestHeaderFieldsTooLarge,
                message: "The request head is larger than the limit of \(limits.maxHeadBytes) bytes or has more than \(limits.maxHeaderFieldCount) header fields"
            )
        case .invalidEOFState:
            self.init(message: "Malformed HTTP request: the connection ended before the request was complete")
        case .invalidChunkSize:
            self.init(message: "Malformed HTTP request: a chunk of the body has an invalid size")
        case .invalidContentLength, .unexpectedContentLength:
            self.init(message: "Malformed HTTP request: the Content-Length header is not valid")
        case .lfExpected, .invalidConstant, .strictModeAssertion:
            self.init(message: "Malformed HTTP request: a chunk is longer than its size, or a line lacks its CRLF")
        case .invalidMethod:
            self.init(message: "Malformed HTTP request: the method is not valid")
        case .invalidURL:
            self.init(message: "Malformed HTTP request: the request target is not valid")
        case .invalidVersion:
            self.init(message: "Malformed HTTP request: the HTTP version is not valid")
        case .invalidHeaderToken, .invalidCharactersUsed:
            self.init(message: "Malformed HTTP request: a header field is not valid")
        default:
            self.init(message: "Malformed HTTP request: the bytes are not valid HTTP/1.1")
        }
    }
}

/// The size limits of a request head (the request line and the header fields), enforced by the HTTP/1
/// decoder. A head over them is answered 431.
public struct RequestHeadLimits: Sendable, Equatable {
    /// The most bytes of the request line and header fields together, and of any one of them.
    public var maxHeadBytes: Int
    /// The most header fields.
    public var maxHeaderFieldCount: Int

    /// Creates limits; the defaults are Hummingbird's (80 KiB, 1,000 fields).
    public init(maxHeadBytes: Int = 80 * 1024, maxHeaderFieldCount: Int = 1000) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderFieldCount = maxHeaderFieldCount
    }
}
