// swift-tools-version:6.1
// In-process SQLite/GRDB ceiling for Hearth's benchmarks. Built and run by Benchmarks/run.
import PackageDescription

let package = Package(
    name: "StorageCeiling",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "StorageCeiling",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            // A one-file measuring script with top-level code: Swift 5 mode keeps it free of
            // strict-concurrency ceremony.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
