#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the runner paces and holds jobs (`batch` in configuration).
public struct BatchEvaluationRunnerConfiguration: Sendable, Equatable {
    /// Every job stays non-terminal at least this long after its creation, so a client can watch and
    /// stop it (a stop still ends it at once).
    public var minimumJobDuration: Duration
    /// The time spent on each session before it is scored, so a running job can be observed.
    public var sessionDelay: Duration
    /// How often a held job is checked for a stop request (and its progress saved).
    public var pollInterval: Duration
    /// How often the runner looks for jobs in the databases in use that nothing announced (a job left
    /// by a gateway that stopped). Jobs started through any gateway of the fleet are announced and
    /// looked at at once.
    public var sweepInterval: Duration
    /// How long a claim holds a job without renewal; a job whose runner died is taken over after it.
    public var leaseDuration: Duration
    /// The most jobs one runner works on at once.
    public var maxConcurrentJobs: Int
    /// This runner's lease owner id (unique per process).
    public var ownerID: String

    /// Creates a configuration; the defaults are those of the shipped configuration.
    public init(
        minimumJobDuration: Duration = .seconds(10),
        sessionDelay: Duration = .zero,
        pollInterval: Duration = .milliseconds(200),
        leaseDuration: Duration = .seconds(30),
        maxConcurrentJobs: Int = 4,
        sweepInterval: Duration = .seconds(60),
        ownerID: String = Self.processOwnerID()
    ) {
        self.sweepInterval = sweepInterval
        self.minimumJobDuration = minimumJobDuration
        self.sessionDelay = sessionDelay
        self.pollInterval = pollInterval
        self.leaseDuration = leaseDuration
        self.maxConcurrentJobs = max(1, maxConcurrentJobs)
        self.ownerID = ownerID
    }

    /// `<host>-<pid>-<random>`: distinct for every process, readable in the jobs table.
    public static func processOwnerID() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "host"
        return "\(host)-\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }
}

extension Duration {
    /// Whole milliseconds.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
