import EvalGatewayCore

extension GatewayConfiguration {
    /// The configuration `evalgw serve` runs on when given no `--config` and there is no
    /// `config/gateway.yaml` where it starts: an SQLite file under `./data/` (`local`) and an in-memory
    /// database (`scratch`), open (no tokens), on 127.0.0.1:7070, with the tenants made through the
    /// admin API kept in `./data/registry.sqlite`. The repository's `config/gateway.yaml`
    /// is this configuration with comments; a test keeps the two equal.
    public static let embeddedDefaultYAML = """
        server: { host: 127.0.0.1, port: 7070 }
        registry: { adapter: sqlite, path: ./data/registry.sqlite }
        databases:
          - id: local
            adapter: sqlite
            path: ./data/evals.sqlite
            tables: [agno_eval_runs]
          - id: scratch
            adapter: memory
        auth:
          tokens: []
        limits: { max_ids_per_request: 1000000, max_body_bytes: 67108864 }
        batch: { min_job_seconds: 10 }
        """

    /// The embedded default (``embeddedDefaultYAML``), parsed with the built-in adapters.
    public static func embeddedDefault(registry: AdapterRegistry) throws(ConfigurationError) -> GatewayConfiguration {
        do {
            return try parse(yaml: embeddedDefaultYAML, registry: registry)
        } catch var error {
            error.file = "(embedded default)"
            throw error
        }
    }
}
