// swift-tools-version: 6.1
// Benchmarks live in their own package so the main build and `swift test`
// never build the benchmark framework (CI builds this package so it cannot rot,
// and never runs it). Run from this directory:
//
//   swift package --allow-writing-to-package-directory benchmark                    # all benchmarks
//   swift package --allow-writing-to-package-directory benchmark thresholds check   # against Thresholds/
//   swift run -c release generate-workload     # the 10M-row database (see docs/PERFORMANCE.md)
import PackageDescription

/// The main package's upcoming features.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "SkillForgeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SkillForge", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "Workload",
            dependencies: [.product(name: "SkillForge", package: "SkillForge")],
            path: "Workload",
            swiftSettings: swiftSettings
        ),
        // Under Tools/, not next to SkillForgeBenchmarks: the benchmark plugin runs every
        // executable target whose folder sits directly in Benchmarks/.
        .executableTarget(
            name: "generate-workload",
            dependencies: [
                "Workload",
                .product(name: "SkillForge", package: "SkillForge"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/GenerateWorkload",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SkillForgeBenchmarks",
            dependencies: [
                "Workload",
                .product(name: "SkillForge", package: "SkillForge"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "SkillForgeBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
