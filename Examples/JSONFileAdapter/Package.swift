// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "JSONFileAdapter",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "JSONFileAdapter", targets: ["JSONFileAdapter"]),
        // `swift package conformance` finds and runs this.
        .executable(name: "jsonfile-conformance", targets: ["jsonfile-conformance"]),
    ],
    dependencies: [
        // EvalGateway, from this repository. Outside it, name it by URL and version instead:
        // .package(url: "https://github.com/OWNER/EvalGateway", from: "0.1.0")
        .package(name: "EvalGateway", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The adapter: only EvalGateway's core contracts.
        .target(
            name: "JSONFileAdapter",
            dependencies: [.product(name: "EvalGatewayCore", package: "EvalGateway")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // The conformance tool over the adapter.
        .executableTarget(
            name: "jsonfile-conformance",
            dependencies: ["JSONFileAdapter", .product(name: "AdapterConformanceCommand", package: "EvalGateway")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(
            name: "JSONFileAdapterTests",
            dependencies: [
                "JSONFileAdapter",
                .product(name: "AdapterConformance", package: "EvalGateway"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
