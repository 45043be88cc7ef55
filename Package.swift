// swift-tools-version:6.2
import PackageDescription

/// Every Swift target: Swift 6 language mode, existential `any` spelled out.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "EvalGateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "evalgw", targets: ["evalgw"]),
        .library(name: "EvalGatewayCore", targets: ["EvalGatewayCore"]),
        // The assembly (configuration loader, built-in kinds, GatewayServer), for a gateway that registers more kinds.
        .library(name: "EvalGateway", targets: ["EvalGateway"]),
        .library(name: "AdapterConformance", targets: ["AdapterConformance"]),
        .library(name: "AdapterConformanceCommand", targets: ["AdapterConformanceCommand"]),
        .plugin(name: "ConformancePlugin", targets: ["ConformancePlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // The core: contracts, model, registry, resolution. Imports no driver and no HTTP framework.
        .target(
            name: "EvalGatewayCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // Adapters: one target each.
        .target(name: "MemoryAdapter", dependencies: ["EvalGatewayCore"], swiftSettings: swiftSettings),
        .target(name: "SQLiteAdapter", dependencies: ["EvalGatewayCore", "CSQLite"], swiftSettings: swiftSettings),
        .target(name: "PostgresAdapter", dependencies: ["EvalGatewayCore", "CLibPQ"], swiftSettings: swiftSettings),

        // The HTTP surfaces (Agno, ops) as route groups over the core.
        .target(
            name: "EvalGatewayHTTP",
            dependencies: [
                "EvalGatewayCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The OpenAPI document, compiled into the binary and served as written.
            resources: [.embedInCode("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),

        // The batch-evaluation runner: claims jobs with a lease and scores their sessions. No HTTP.
        .target(
            name: "BatchEvaluationRunner",
            dependencies: ["EvalGatewayCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // Assembly: configuration file loading, the built-in adapter kinds, the server.
        .target(
            name: "EvalGateway",
            dependencies: [
                "EvalGatewayCore", "EvalGatewayHTTP", "MemoryAdapter", "SQLiteAdapter", "PostgresAdapter", "BatchEvaluationRunner",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // The command-line tool: `evalgw serve` and the client commands.
        .executableTarget(
            name: "evalgw",
            dependencies: [
                "EvalGateway", "AdapterConformanceCommand",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // A bare Hummingbird server (one route): the floor `Benchmarks/http_cost.sh` measures the gateway against.
        .executableTarget(
            name: "evalgw-http-floor",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/HTTPFloor",
            swiftSettings: swiftSettings
        ),

        // The storage contract in executable form, for any adapter's own tests.
        .target(name: "AdapterConformance", dependencies: ["EvalGatewayCore"], swiftSettings: swiftSettings),

        // The `conformance` command over any adapter kinds: `evalgw conformance`, and an adapter package's own tool.
        .target(
            name: "AdapterConformanceCommand",
            dependencies: [
                "EvalGatewayCore", "AdapterConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // `swift package conformance`: builds the package's conformance tool (evalgw here) and runs its
        // `conformance` command; available to every package that depends on this one.
        .plugin(
            name: "ConformancePlugin",
            capability: .command(
                intent: .custom(verb: "conformance", description: "Run the adapter conformance suite (see `evalgw conformance --help`).")
            )
        ),

        // The example adapter package's adapter (Examples/JSONFileAdapter), built here too so that the
        // tests below can serve it beside the built-in kinds.
        .target(
            name: "ThirdPartyAdapterExample", dependencies: ["EvalGatewayCore"], path: "Examples/JSONFileAdapter/Sources/JSONFileAdapter",
            swiftSettings: swiftSettings
        ),

        // Tests mirror the sources.
        .testTarget(name: "AdapterConformanceTests", dependencies: ["AdapterConformance", "MemoryAdapter"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ThirdPartyAdapterTests",
            dependencies: [
                "ThirdPartyAdapterExample", "EvalGateway", "EvalGatewayHTTP",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EvalGatewayCoreTests", dependencies: ["EvalGatewayCore", "MemoryAdapter"], swiftSettings: swiftSettings),
        .testTarget(name: "MemoryAdapterTests", dependencies: ["MemoryAdapter", "AdapterConformance"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLiteAdapterTests", dependencies: ["SQLiteAdapter", "AdapterConformance", "CSQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresAdapterTests", dependencies: ["PostgresAdapter", "AdapterConformance"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EvalGatewayHTTPTests",
            dependencies: [
                "EvalGatewayHTTP", "MemoryAdapter", "SQLiteAdapter", "PostgresAdapter",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EvalGatewayTests",
            dependencies: ["EvalGateway", "EvalGatewayHTTP", "PostgresAdapter", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "evalgwTests",
            dependencies: [
                "evalgw", "AdapterConformanceCommand", "EvalGatewayHTTP", "MemoryAdapter", "PostgresAdapter",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatchEvaluationTests",
            dependencies: [
                "BatchEvaluationRunner", "EvalGatewayHTTP", "MemoryAdapter", "SQLiteAdapter", "PostgresAdapter",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
