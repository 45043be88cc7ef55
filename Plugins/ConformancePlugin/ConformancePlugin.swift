import Foundation
import PackagePlugin

/// `swift package conformance [evalgw conformance options]`: builds `evalgw` and runs its `conformance`
/// command, which prints one line per check and `N passed, M failed`, and exits non-zero on a failure.
///
/// Examples:
///     swift package conformance --adapter memory
///     swift package conformance --config config/gateway.yaml --db-id local
///     swift package conformance --adapter postgres --url postgresql://127.0.0.1:5432/postgres
@main
struct ConformancePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let build = try packageManager.build(.product("evalgw"), parameters: .init(configuration: .debug, logging: .concise))
        guard build.succeeded else {
            Diagnostics.error("building evalgw failed:\n\(build.logText)")
            throw ConformancePluginError.buildFailed
        }
        guard let executable = build.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "evalgw" }) else {
            throw ConformancePluginError.executableMissing
        }
        let process = Process()
        process.executableURL = executable.url
        process.arguments = ["conformance"] + arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw ConformancePluginError.checksFailed(status: process.terminationStatus)
        }
    }
}

enum ConformancePluginError: Error, CustomStringConvertible {
    case buildFailed
    case executableMissing
    case checksFailed(status: Int32)

    var description: String {
        switch self {
        case .buildFailed: "building evalgw failed"
        case .executableMissing: "the build produced no evalgw executable"
        case .checksFailed(let status): "conformance failed (exit status \(status))"
        }
    }
}
