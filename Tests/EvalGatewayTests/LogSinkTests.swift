import EvalGateway
import Foundation
import Logging
import Testing

/// The gateway's log output: lines written in batches off the request's path, in order, in the plain
/// format of swift-log's `StreamLogHandler`, and never unbounded when nobody reads them.
@Suite struct LogSinkTests {
    /// A pipe whose write end a sink writes to; `read()` takes what has arrived.
    final class Pipe: Sendable {
        let readEnd: Int32
        let writeEnd: Int32
        init() {
            var ends: [Int32] = [0, 0]
            precondition(pipe(&ends) == 0)
            readEnd = ends[0]
            writeEnd = ends[1]
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
        }
        func read() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = Foundation.read(readEnd, &chunk, chunk.count)
                if count <= 0 { break }
                bytes += chunk[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func linesArriveInOrderInThePlainFormat() throws {
        let pipe = Pipe()
        let sink = LogSink(descriptor: pipe.writeEnd)
        var logger = Logger(label: "evalgw") { PlainLogHandler(label: $0, sink: sink) }
        logger[metadataKey: "hb.request.id"] = "r-1"
        for index in 0..<300 {
            logger.info("request \(index)", metadata: ["status": "200", "db_id": "local"])
        }
        sink.flush()
        let lines = pipe.read().split(separator: "\n")
        #expect(lines.count == 300)
        #expect(lines.indices.allSatisfy { lines[$0].hasSuffix("[EvalGatewayTests] request \($0)") }, "in the order logged")
        let first = String(lines[0])
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info evalgw: db_id=local hb\.request\.id=r-1 status=200 \[EvalGatewayTests\] request 0$/#
        #expect(first.wholeMatch(of: pattern) != nil, "\(first)")
    }

    @Test func linesBeyondTheLimitAreDroppedAndCounted() throws {
        let pipe = Pipe()
        let sink = LogSink(descriptor: pipe.writeEnd, limit: 100)
        for index in 0..<10 { sink.write(Array("line \(index) \(String(repeating: "x", count: 22))\n".utf8)) }
        sink.flush()
        let text = pipe.read()
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 4, "\(text)")
        #expect(lines.last == "[evalgw] \(10 - (lines.count - 1)) log lines dropped: standard error was not being read")
        #expect(lines.dropLast().enumerated().allSatisfy { $1.hasPrefix("line \($0) ") })
    }
}
