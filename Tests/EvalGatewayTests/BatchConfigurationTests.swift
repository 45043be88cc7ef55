import EvalGateway
import EvalGatewayCore
import Testing

/// The `batch` section: defaults, values, and failures that name the key.
@Suite struct BatchConfigurationTests {
    static let databases = "databases: [{ id: m, adapter: memory }]\n"

    func parse(_ yaml: String) throws -> GatewayConfiguration {
        try GatewayConfiguration.parse(yaml: Self.databases + yaml, registry: .builtIn, environment: [:])
    }

    @Test func defaultsKeepJobsObservableForTenSeconds() throws {
        let configuration = try parse("")
        #expect(configuration.batch.enabled)
        #expect(configuration.batch.minJobSeconds == 10)
        #expect(configuration.batch.runner.minimumJobDuration == .seconds(10))
        #expect(configuration.batch.settings.region == "us-east-1")
    }

    @Test func valuesAreRead() throws {
        let configuration = try parse("batch: { enabled: false, min_job_seconds: 0, session_delay_ms: 250, poll_interval_ms: 50, lease_seconds: 5, max_concurrent_jobs: 2, region: eu-west-1, account_id: '123456789012' }")
        #expect(!configuration.batch.enabled)
        #expect(configuration.batch.runner.minimumJobDuration == .zero)
        #expect(configuration.batch.runner.sessionDelay == .milliseconds(250))
        #expect(configuration.batch.runner.pollInterval == .milliseconds(50))
        #expect(configuration.batch.runner.leaseDuration == .seconds(5))
        #expect(configuration.batch.runner.maxConcurrentJobs == 2)
        #expect(configuration.batch.settings == .init(region: "eu-west-1", accountID: "123456789012"))
    }

    @Test func badValuesNameTheKey() {
        for (yaml, key) in [
            ("batch: { min_job_seconds: -1 }", "batch.min_job_seconds"),
            ("batch: { region: 'EU WEST' }", "batch.region"),
            ("batch: { account_id: '12' }", "batch.account_id"),
            ("batch: { surprise: 1 }", "batch.surprise"),
            ("batch: { poll_interval_ms: 1000, lease_seconds: 2 }", "batch.poll_interval_ms"),
        ] {
            do {
                _ = try parse(yaml)
                Issue.record("\(yaml) was accepted")
            } catch {
                #expect((error as? ConfigurationError)?.key == key, "\(yaml): \(error)")
            }
        }
    }
}
