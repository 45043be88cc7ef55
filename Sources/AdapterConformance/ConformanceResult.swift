/// The outcome of one check.
public struct ConformanceResult: Sendable, CustomStringConvertible {
    /// The check's name.
    public var check: String
    /// Passed, failed (with what went wrong) or skipped (with why).
    public var outcome: Outcome
    /// How long it took, in seconds.
    public var seconds: Double

    /// The outcomes of a check.
    public enum Outcome: Sendable, Equatable {
        case passed
        case failed(String)
        case skipped(String)
    }

    /// Whether the check passed or was skipped for a declared reason (i.e. did not fail).
    public var didNotFail: Bool {
        if case .failed = outcome { return false }
        return true
    }

    public var description: String {
        let time = String(Int((seconds * 1000).rounded())) + " ms"
        switch outcome {
        case .passed: return "PASS  \(check)  (\(time))"
        case .failed(let reason): return "FAIL  \(check)  (\(time)): \(reason)"
        case .skipped(let reason): return "SKIP  \(check): \(reason)"
        }
    }
}

/// A check's failed expectation.
struct ConformanceFailure: Error, CustomStringConvertible {
    let description: String
}
