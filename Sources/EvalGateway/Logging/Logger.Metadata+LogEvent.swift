import Logging

extension Logger.Metadata {
    /// A handler's metadata with a log event's own on top, and the event's error as `error`: the fields
    /// of one line, whichever format writes it.
    func merged(with event: LogEvent) -> Logger.Metadata {
        var merged = self
        if let explicit = event.metadata { merged.merge(explicit) { _, explicit in explicit } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        return merged
    }
}
