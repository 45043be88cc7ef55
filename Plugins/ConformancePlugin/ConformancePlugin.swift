import Foundation
import PackagePlugin

/// `swift package conformance [options]`: builds the package's conformance tool and runs its
/// `conformance` command, which prints one line per check and `N passed, M failed, K skipped`, and exits
/// non-zero on a failure.
///
/// The tool is the package's executable product that links `AdapterConformanceCommand`: `evalgw` in this
/// package; in an adapter package that depends on this one, the small executable it declares over its own
/// adapter (see `ConformanceTool`). With several such products, `--product NAME` picks one.
///
/// Examples:
///     swift package conformance --adapter memory
///     swift package conformance --config config/gateway.yaml --db-id local
///     swift package conformance --adapter postgres --url postgresql://127.0.0.1:5432/postgres
///     swift package conformance                  # in an adapter package: every kind its tool registers
@main
struct ConformancePlugin: CommandPlugin {
    /// The library a conformance tool links.
    static let commandLibrary = "AdapterConformanceCommand"

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var arguments = arguments
        let product = try Self.toolProduct(in: context.package, named: Self.take("--product", from: &arguments))
        let build = try packageManager.build(.product(product.name), parameters: .init(configuration: .debug, logging: .concise))
        guard build.succeeded else {
            Diagnostics.error("building \(product.name) failed:\n\(build.logText)")
            throw ConformancePluginError.buildFailed(product.name)
        }
        guard let executable = build.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == product.name }) else {
            throw ConformancePluginError.executableMissing(product.name)
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

    /// The executable product whose main target depends on ``commandLibrary`` (as a product of this
    /// package's dependency, or as a target of this package).
    static func toolProduct(in package: Package, named name: String?) throws -> ExecutableProduct {
        let tools = package.products(ofType: ExecutableProduct.self).filter { product in
            product.mainTarget.dependencies.contains { dependency in
                switch dependency {
                case .product(let product): product.name == commandLibrary
                case .target(let target): target.name == commandLibrary
                @unknown default: false
                }
            }
        }
        if let name {
            guard let tool = tools.first(where: { $0.name == name }) else { throw ConformancePluginError.noSuchTool(name, tools.map(\.name)) }
            return tool
        }
        guard tools.count == 1, let tool = tools.first else { throw ConformancePluginError.ambiguous(tools.map(\.name)) }
        return tool
    }

    /// Removes `--flag VALUE` from `arguments` and returns the value.
    static func take(_ flag: String, from arguments: inout [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        let value = arguments[index + 1]
        arguments.removeSubrange(index...(index + 1))
        return value
    }
}

enum ConformancePluginError: Error, CustomStringConvertible {
    case buildFailed(String)
    case executableMissing(String)
    case checksFailed(status: Int32)
    case noSuchTool(String, [String])
    case ambiguous([String])

    var description: String {
        switch self {
        case .buildFailed(let name): "building \(name) failed"
        case .executableMissing(let name): "the build produced no \(name) executable"
        case .checksFailed(let status): "conformance failed (exit status \(status))"
        case .noSuchTool(let name, let tools):
            "no executable product '\(name)' links \(ConformancePlugin.commandLibrary) (those that do: \(tools.isEmpty ? "none" : tools.joined(separator: ", ")))"
        case .ambiguous(let tools) where tools.isEmpty:
            """
            this package has no conformance tool: declare an executable target that depends on \
            \(ConformancePlugin.commandLibrary) and your adapter, with one type conforming to ConformanceTool \
            (see the README of EvalGateway)
            """
        case .ambiguous(let tools): "several executables link \(ConformancePlugin.commandLibrary) (\(tools.joined(separator: ", "))): pick one with --product NAME"
        }
    }
}
