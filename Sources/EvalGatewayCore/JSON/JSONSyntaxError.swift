/// Text that is not one well-formed JSON value: where the problem is and what it is.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem in the text.
    public let offset: Int
    /// What is wrong, as a short phrase.
    public let problem: String

    /// Creates an error at `offset`.
    public init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }

    public var description: String { "invalid JSON at byte \(offset): \(problem)" }
}
