// swift-tools-version: 6.1
// Benchmarks live in their own package so the main build and `swift test`
// never build the benchmark framework. Run from this directory:
//
//   swift package benchmark                    # all benchmarks
//   swift run -c release generate-workload     # the 10M-row database first (see docs/PERFORMANCE.md)
import PackageDescription

let package = Package(
    name: "SkillForgeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SkillForge", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "Workload",
            dependencies: [.product(name: "SkillForge", package: "SkillForge")],
            path: "Workload"
        ),
        .executableTarget(
            name: "generate-workload",
            dependencies: [
                "Workload",
                .product(name: "SkillForge", package: "SkillForge"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "GenerateWorkload"
        ),
        .executableTarget(
            name: "SkillForgeBenchmarks",
            dependencies: [
                "Workload",
                .product(name: "SkillForge", package: "SkillForge"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "SkillForgeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
