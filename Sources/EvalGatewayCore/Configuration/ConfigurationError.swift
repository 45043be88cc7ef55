/// A configuration problem: where (the file, line and column when known), the key (a dotted path such
/// as `databases[1].path`, or `body.options.path` for an admin request) and what is wrong.
///
/// Rendered `file:line:column: key: problem`, the way compilers report, so an editor can jump to it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in, when known.
    public var file: String?
    /// Where in the file, when known.
    public var location: ConfigNode.Location?
    /// The dotted path of the key.
    public var key: String
    /// What is wrong, as a sentence a user can act on.
    public var problem: String

    /// Creates an error for `key`.
    public init(file: String? = nil, location: ConfigNode.Location? = nil, key: String, problem: String) {
        self.file = file
        self.location = location
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var prefix = file ?? ""
        if let location { prefix += prefix.isEmpty ? "\(location)" : ":\(location)" }
        return "\(prefix.isEmpty ? "" : prefix + ": ")\(key): \(problem)"
    }
}
