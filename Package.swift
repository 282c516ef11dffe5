// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "triage",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "triage", targets: ["triage"]),
        .library(name: "TriageCore", targets: ["TriageCore"]),
        // For the libFuzzer package in Fuzz/ (it depends on this package by path).
        .library(name: "TriageConfig", targets: ["TriageConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Pure domain: model, rules, assignment, SLA plan, retry policy. No I/O, no clock.
        .target(name: "TriageCore", swiftSettings: swiftSettings),
        // rules/ YAML -> TriageCore values, with file:line:column errors.
        .target(
            name: "TriageConfig",
            dependencies: [
                "TriageCore", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Ports and long-running services (worker, dispatcher).
        .target(
            name: "TriageEngine",
            dependencies: [
                "TriageCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird receiver and API: the only place HTTP statuses exist.
        .target(
            name: "TriageHTTP",
            dependencies: [
                "TriageEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The OpenAPI document, compiled into the binary (no resource bundle to ship beside it).
            resources: [.embedInCode("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // GRDB adapters for every port; no GRDB type in the public API.
        .target(
            name: "TriageStoreSQLite",
            dependencies: [
                "TriageEngine", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // postgres-nio adapters for every port: several instances on one database.
        .target(
            name: "TriageStorePostgres",
            dependencies: [
                "TriageEngine", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // libcurl as a system library, with a shim for the variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // HTTP client over libcurl and the vendor notifier.
        .target(
            name: "TriageCurl",
            dependencies: [
                "TriageEngine", "CCurl",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root and CLI.
        .target(
            name: "TriageApp",
            dependencies: [
                "TriageCore", "TriageConfig", "TriageEngine", "TriageHTTP", "TriageStoreSQLite", "TriageStorePostgres",
                "TriageCurl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "triage", dependencies: ["TriageApp"], swiftSettings: swiftSettings),
        // Test-only helpers: conformance suites, fixture locator, test clock, a local vendor endpoint.
        .target(
            name: "TriageTesting",
            dependencies: [
                "TriageCore", "TriageEngine", "TriageHTTP", "TriageCurl", "TriageStorePostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageCoreTests",
            dependencies: ["TriageCore", "TriageTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageConfigTests",
            dependencies: ["TriageConfig", "TriageTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageEngineTests",
            dependencies: [
                "TriageEngine", "TriageTesting", "TriageStoreSQLite", "TriageCurl",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageHTTPTests",
            dependencies: [
                "TriageHTTP", "TriageTesting", "TriageCurl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageStoreSQLiteTests",
            dependencies: ["TriageStoreSQLite", "TriageTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageStorePostgresTests",
            dependencies: ["TriageStorePostgres", "TriageTesting", "TriageStoreSQLite"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageCurlTests",
            dependencies: ["TriageCurl", "TriageTesting", "TriageHTTP", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageAppTests",
            dependencies: [
                "TriageApp", "TriageTesting", "TriageCurl", "TriageStorePostgres", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
