import AdapterConformanceCommand
import EvalGateway
import EvalGatewayCore

/// `evalgw conformance`: the conformance command over the built-in adapter kinds, reading `--config`
/// as `evalgw serve` does. With neither `--config` nor `--adapter` it tests nothing and says what to give.
enum BuiltInConformance: ConformanceTool {
    static var registry: AdapterRegistry { .builtIn }

    static var defaultKinds: [String] { [] }

    static func databases(inConfigurationFile path: String) throws -> [DatabaseConfiguration] {
        try GatewayConfiguration.load(path: path, registry: registry).databases
    }
}
