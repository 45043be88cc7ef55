public import BatchEvaluationRunner
public import EvalGatewayHTTP

/// The `batch` section of the configuration: the AgentCore batch-evaluation runner and job naming.
///
/// ```yaml
/// batch:
///   enabled: true              # run jobs in this gateway (false: serve the API only)
///   min_job_seconds: 10        # every job stays non-terminal at least this long
///   session_delay_ms: 0        # time spent per session before scoring it
///   poll_interval_ms: 200      # stop-request and lease polling of a running job
///   sweep_interval_seconds: 60 # looking for jobs nothing announced (a stopped gateway's)
///   lease_seconds: 30          # a crashed runner's job is taken over after this
///   max_concurrent_jobs: 4
///   region: us-east-1          # in ARNs, when a request is not SigV4-signed
///   account_id: "000000000000"
/// ```
public struct BatchConfiguration: Sendable, Equatable, Decodable {
    /// Whether this gateway runs jobs.
    public var enabled = true
    /// Every job stays non-terminal at least this many seconds.
    public var minJobSeconds = 10
    /// Milliseconds spent on each session.
    public var sessionDelayMilliseconds = 0
    /// Milliseconds between polls.
    public var pollIntervalMilliseconds = 200
    /// Seconds a claim holds a job without renewal.
    public var leaseSeconds = 30
    /// The most jobs run at once.
    public var maxConcurrentJobs = 4
    /// How often, in seconds, the runner looks for jobs in databases nothing has pointed it at (a job
    /// left by a gateway that stopped). Jobs started anywhere in the fleet wake it at once.
    public var sweepIntervalSeconds = 60
    /// The region in job ARNs.
    public var region = "us-east-1"
    /// The account id in job ARNs.
    public var accountID = "000000000000"

    /// The defaults.
    public init() {}

    /// The runner's configuration.
    public var runner: BatchEvaluationRunnerConfiguration {
        BatchEvaluationRunnerConfiguration(
            minimumJobDuration: .seconds(minJobSeconds),
            sessionDelay: .milliseconds(sessionDelayMilliseconds),
            pollInterval: .milliseconds(pollIntervalMilliseconds),
            leaseDuration: .seconds(leaseSeconds),
            maxConcurrentJobs: maxConcurrentJobs,
            sweepInterval: .seconds(sweepIntervalSeconds)
        )
    }

    /// The HTTP surface's settings.
    public var settings: BatchEvaluationSettings {
        BatchEvaluationSettings(region: region, accountID: accountID)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, region
        case minJobSeconds = "min_job_seconds"
        case sessionDelayMilliseconds = "session_delay_ms"
        case pollIntervalMilliseconds = "poll_interval_ms"
        case leaseSeconds = "lease_seconds"
        case maxConcurrentJobs = "max_concurrent_jobs"
        case sweepIntervalSeconds = "sweep_interval_seconds"
        case accountID = "account_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) { self.enabled = enabled }
        if let value = try container.decodeIfPresent(Int.self, forKey: .minJobSeconds, in: 0...86_400) { minJobSeconds = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .sessionDelayMilliseconds, in: 0...3_600_000) { sessionDelayMilliseconds = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .pollIntervalMilliseconds, in: 10...60_000) { pollIntervalMilliseconds = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .leaseSeconds, in: 2...3600) { leaseSeconds = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .maxConcurrentJobs, in: 1...256) { maxConcurrentJobs = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .sweepIntervalSeconds, in: 1...86_400) { sweepIntervalSeconds = value }
        if let region = try container.decodeIfPresent(String.self, forKey: .region) {
            guard !region.isEmpty, region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
                throw container.problem(.region, "'\(region)' is not a region name (lower-case letters, digits, '-')")
            }
            self.region = region
        }
        if let account = try container.decodeIfPresent(String.self, forKey: .accountID) {
            guard account.utf8.count == 12, account.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw container.problem(.accountID, "'\(account)' is not a 12-digit account id")
            }
            accountID = account
        }
        // A runner renews its lease between polls: a poll as long as half a lease would let the lease
        // lapse under a job that is still being worked on, and another runner would take it over.
        guard pollIntervalMilliseconds * 2 < leaseSeconds * 1000 else {
            throw container.problem(
                .pollIntervalMilliseconds,
                "\(pollIntervalMilliseconds) ms must be less than half of batch.lease_seconds (\(leaseSeconds) s)"
            )
        }
    }
}
