public import Logging
import EvalGatewayCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one JSON object per log line to standard error (through ``LogSink``):
/// `{"ts":"…","level":"info","label":"evalgw","message":"request","method":"GET",…}`.
public struct JSONLogHandler: LogHandler {
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    /// A handler for `label`.
    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var writer = JSONWriter()
        writer.beginObject()
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        writer.key("ts"); writer.write(Timestamp.iso8601(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000))
        writer.key("level"); writer.write(event.level.rawValue)
        writer.key("label"); writer.write(label)
        writer.key("message"); writer.write(event.message.description)
        let merged = metadata.merged(with: event)
        for key in merged.keys.sorted() {
            writer.key(key)
            writer.write(merged[key]!.description)
        }
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        LogSink.standardError.write(bytes)
    }
}
