import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP connection to a gateway on loopback: sends bytes exactly as given (no HTTP client in the
/// way), can shut its write side, and reads what the server sends, response by response or until the
/// server closes.
final class RawConnection {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Bytes received and not yet returned.
    private var received: [UInt8] = []
    /// Whether the server has closed its side.
    private(set) var closedByServer = false

    private init(channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects to `127.0.0.1:port` and runs `body` with the connection; it is closed afterwards.
    static func with<T: Sendable>(port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
        let asyncChannel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await asyncChannel.executeThenClose { inbound, outbound in
            try await body(RawConnection(channel: asyncChannel.channel, inbound: inbound, outbound: outbound))
        }
    }

    /// Sends `text`'s UTF-8 bytes.
    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Sends `bytes`.
    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Shuts the write side (the server reads end of file), keeping the read side open.
    func shutdownWrite() {
        outbound.finish()
    }

    /// Reads the next whole response, or `nil` if the server closes (or `timeout` passes) first.
    func readResponse(timeout: Duration = .seconds(10)) async throws -> RawResponse? {
        try await read(timeout: timeout) { RawResponse.parse(from: $0) != nil }
        guard let (response, used) = RawResponse.parse(from: received) else { return nil }
        received.removeFirst(used)
        return response
    }

    /// Reads until the server closes the connection or `timeout` passes, and returns every response
    /// still to be read.
    func readUntilClosed(timeout: Duration = .seconds(10)) async throws -> [RawResponse] {
        try await read(timeout: timeout) { _ in false }
        var responses: [RawResponse] = []
        while let (response, used) = RawResponse.parse(from: received) {
            responses.append(response)
            received.removeFirst(used)
        }
        return responses
    }

    /// Reads until `enough` holds for the bytes received, the server closes, or `timeout` passes (the
    /// connection is then closed by this side, and ``closedByServer`` stays false).
    private func read(timeout: Duration, until enough: ([UInt8]) -> Bool) async throws {
        guard !closedByServer, !enough(received) else { return }
        let timedOut = Flag()
        let channel = channel
        let timer = Task {
            try await Task.sleep(for: timeout)
            timedOut.set()
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            while let buffer = try await inbound.next() {
                received += buffer.readableBytesView
                if enough(received) { return }
            }
        } catch {
            // A reset after the server's answer: what arrived before it is what the server said.
        }
        closedByServer = !timedOut.isSet
    }
}

/// A flag set once, from any task.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// One HTTP/1.1 response read off a raw connection.
struct RawResponse: Sendable {
    /// The status code.
    let status: Int
    /// The header fields, names lower-cased.
    let headers: [String: String]
    /// The body bytes.
    let body: [UInt8]

    /// The first whole response in `bytes` and the number of bytes it takes (a body is read by its
    /// `Content-Length`), or `nil` if `bytes` does not hold one yet.
    static func parse(from bytes: [UInt8]) -> (RawResponse, Int)? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusWords = lines[0].split(separator: " ")
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count >= end.upperBound + length else { return nil }
        return (RawResponse(status: status, headers: headers, body: Array(bytes[end.upperBound..<end.upperBound + length])), end.upperBound + length)
    }

    /// The body as a JSON object (empty if it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}
