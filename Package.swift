// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mailflow",
    products: [
        .executable(name: "mailflow", targets: ["mailflow"]),
        .library(name: "MailFlowKit", targets: ["MailFlowKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMailFlowSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CMailFlowZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "MailFlowKit",
            dependencies: ["CMailFlowSQLite", "CMailFlowZlib"]
        ),
        .executableTarget(
            name: "mailflow",
            dependencies: [
                "MailFlowKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Generates realistic message tracking logs for the ingest benchmark (scripts/bench-ingest.sh).
        .executableTarget(
            name: "mailflow-loggen",
            dependencies: ["MailFlowKit"]
        ),
        .testTarget(
            name: "MailFlowKitTests",
            dependencies: ["MailFlowKit", "CMailFlowZlib", "CMailFlowSQLite"],
            // Fixtures are read from disk by path (#filePath), not bundled as resources.
            exclude: ["ExchangeOnline/Fixtures", "Postfix/Fixtures", "Configuration/Fixtures"]
        ),
    ]
)
