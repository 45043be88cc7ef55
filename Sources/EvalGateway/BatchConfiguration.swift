public import BatchEvaluationRunner
public import EvalGatewayHTTP

/// The `batch` section of the configuration: the AgentCore batch-evaluation runner and job naming.
///
/// ```yaml
/// batch:
///   enabled: true              # run jobs in this gateway (false: serve the API only)
///   min_job_seconds: 10        # every job stays non-terminal at least this long
///   session_delay_ms: 0        # time spent per session before scoring it
///   poll_interval_ms: 200      # new-job and stop-request polling
///   lease_seconds: 30          # a crashed runner's job is taken over after this
///   max_concurrent_jobs: 4
///   region: us-east-1          # in ARNs, when a request is not SigV4-signed
///   account_id: "000000000000"
/// ```
public struct BatchConfiguration: Sendable, Equatable {
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
            maxConcurrentJobs: maxConcurrentJobs
        )
    }

    /// The HTTP surface's settings.
    public var settings: BatchEvaluationSettings {
        BatchEvaluationSettings(region: region, accountID: accountID)
    }
}
