// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tsunagu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tsunagu", targets: ["tsunagu"]),
        // The engine's commands alone (assign, bench, bench-instance): builds in a minute.
        .executable(name: "tsunagu-engine", targets: ["tsunagu-engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // Tests only: reads docker-compose.yml to check it against what the app reads.
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
    ],
    targets: [
        // Pure Swift: text features, scoring, min-cost-flow assignment. No Vapor, no SQL.
        .target(name: "Matching"),
        .target(
            name: "App",
            dependencies: [
                "Matching",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(name: "tsunagu", dependencies: ["App"]),
        .executableTarget(name: "tsunagu-engine", dependencies: ["Matching"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
