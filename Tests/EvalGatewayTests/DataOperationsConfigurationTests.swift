import EvalGateway
import EvalGatewayCore
import EvalGatewayHTTP
import Testing

/// The `fanout`, `delete`, `retention` and `audit` sections: defaults, values, and failures that name the
/// key, its line and column, and what is wrong.
@Suite struct DataOperationsConfigurationTests {
    func parse(_ yaml: String) throws -> GatewayConfiguration {
        try GatewayConfiguration.parse(yaml: "databases: [{ id: m, adapter: memory }]\n" + yaml, registry: .builtIn, environment: ["BATCH": "500"])
    }

    @Test func defaults() throws {
        let configuration = try parse("")
        #expect(configuration.dataOperations == DataOperationSettings(fanOutMaxParallel: 8, filterBatchRows: 10_000, auditIncludesIDs: false))
        #expect(configuration.retention.enabled)
        #expect(configuration.retention.intervalSeconds == 3600)
    }

    @Test func valuesAreRead() throws {
        let configuration = try parse("""
            fanout: { max_parallel: 3 }
            delete: { filter_batch_rows: "${BATCH}" }
            retention: { enabled: false, interval_seconds: 60 }
            audit: { include_ids: true }
            """)
        #expect(configuration.dataOperations == DataOperationSettings(fanOutMaxParallel: 3, filterBatchRows: 500, auditIncludesIDs: true))
        #expect(!configuration.retention.enabled)
        #expect(configuration.retention.intervalSeconds == 60)
    }

    @Test func aDatabasesRetentionIsReadFromTheFile() throws {
        let configuration = try GatewayConfiguration.parse(
            yaml: "databases: [{ id: m, adapter: memory, retention: { max_age_days: 30 } }]", registry: .builtIn, environment: [:]
        )
        #expect(configuration.databases[0].retention == RetentionPolicy(maxAgeDays: 30))
    }

    @Test func badValuesNameTheKeyWhereTheyAreWritten() {
        for (yaml, key, problem) in [
            ("fanout: { max_parallel: 0 }", "fanout.max_parallel", "must be"),
            ("fanout: { parallel: 4 }", "fanout.parallel", "not"),
            ("delete: { filter_batch_rows: 0 }", "delete.filter_batch_rows", "must be"),
            ("delete: { filter_batch_rows: lots }", "delete.filter_batch_rows", "expected an integer"),
            ("retention: { interval_seconds: 0 }", "retention.interval_seconds", "must be"),
            ("retention: { enabled: sometimes }", "retention.enabled", "expected true or false"),
            ("audit: { include_ids: maybe }", "audit.include_ids", "expected true or false"),
            ("audit: { retention_days: 30 }", "audit.retention_days", "not"),
        ] {
            do {
                _ = try parse(yaml)
                Issue.record("\(yaml) was accepted")
            } catch let error as ConfigurationError {
                #expect(error.key == key, "\(yaml): \(error)")
                #expect(error.location?.line == 2, "\(yaml): \(error)")
                #expect(error.problem.contains(problem), "\(yaml): \(error)")
            } catch {
                Issue.record("\(yaml): \(error)")
            }
        }
    }
}
