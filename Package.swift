// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "hearth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hearth", targets: ["hearth"]),
        .library(name: "HearthCore", targets: ["HearthCore"]),
        .library(name: "HearthBase", targets: ["HearthBase"]),
        .library(name: "HearthDrive", targets: ["HearthDrive"]),
        .library(name: "HearthRuntime", targets: ["HearthRuntime"]),
        .library(name: "HearthRegistry", targets: ["HearthRegistry"]),
        .library(name: "HearthExport", targets: ["HearthExport"]),
        .library(name: "HearthHTTP", targets: ["HearthHTTP"]),
        .library(name: "HearthServer", targets: ["HearthServer"]),
        .library(name: "HearthTesting", targets: ["HearthTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "HearthCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthBase",
            dependencies: [
                "HearthCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthDrive",
            dependencies: [
                "HearthCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthRuntime",
            dependencies: [
                "HearthCore", "HearthRegistry", "CHearthSandbox",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthRegistry",
            dependencies: [
                "HearthCore", "HearthBase", "HearthDrive",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Export archives: a collection's Bases and Drives as one zip, and back.
        .target(
            name: "HearthExport",
            dependencies: [
                "HearthCore", "HearthBase", "HearthDrive", "HearthRegistry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthHTTP",
            dependencies: [
                "HearthCore", "HearthBase", "HearthDrive", "HearthRegistry", "HearthRuntime", "HearthExport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            resources: [.copy("Dashboard/Assets")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthServer",
            dependencies: [
                "HearthCore", "HearthBase", "HearthRegistry", "HearthRuntime", "HearthHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Network namespace steps of the sandbox thread (unshare, setns, loopback up).
        .target(name: "CHearthSandbox", path: "Sources/CHearthSandbox"),
        .executableTarget(
            name: "hearth",
            dependencies: [
                "HearthCore", "HearthBase", "HearthDrive", "HearthRegistry", "HearthRuntime", "HearthHTTP", "HearthServer",
                "HearthExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HearthTesting",
            dependencies: [
                "HearthCore", "HearthBase", "HearthDrive", "HearthRegistry", "HearthHTTP", "HearthServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthCoreTests",
            dependencies: ["HearthCore", "HearthTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthBaseTests",
            dependencies: [
                "HearthBase", "HearthTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthDriveTests",
            dependencies: ["HearthDrive", "HearthTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthRuntimeTests",
            dependencies: ["HearthRuntime", "HearthTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthRegistryTests",
            dependencies: ["HearthRegistry", "HearthTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthExportTests",
            dependencies: [
                "HearthExport", "HearthTesting",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthHTTPTests",
            dependencies: [
                "HearthHTTP", "HearthRuntime", "HearthTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HearthServerTests",
            dependencies: ["HearthServer", "HearthBase", "HearthRegistry", "HearthTesting"],
            swiftSettings: swiftSettings
        ),
    ]
)
