import AdapterConformanceCommand
import EvalGatewayCore
import JSONFileAdapter

/// `swift package conformance` (or `swift run jsonfile-conformance`): EvalGateway's conformance suite
/// against the `jsonfile` kind, each check over a new temporary directory unless
/// `--option directory=PATH` names one.
@main
enum JSONFileConformance: ConformanceTool {
    static var registry: AdapterRegistry { AdapterRegistry([JSONFileAdapter()]) }
}
