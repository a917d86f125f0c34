// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features that keep the code base honest (as in Hummingbird's manifest).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "SkillForge",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SkillForge", targets: ["SkillForge"]),
        .executable(name: "skill-forge", targets: ["skill-forge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // One SQLite call Swift cannot make (a variadic function): see Rollups+Writes.swift.
        .target(
            name: "CSkillForgeSQLite",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "SkillForge",
            dependencies: [
                "CSkillForgeSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "skill-forge",
            dependencies: [
                "SkillForge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkillForgeTests",
            dependencies: [
                "SkillForge", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkillForgeCLITests",
            dependencies: ["skill-forge", "SkillForge"],
            swiftSettings: swiftSettings
        ),
    ]
)
