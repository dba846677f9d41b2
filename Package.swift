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
        // X.509: the DER certificates inside Get-ExchangeCertificate exports (RawData) and their SHA-1 thumbprints.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"6.0.0"),
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
            dependencies: [
                "CMailFlowSQLite", "CMailFlowZlib",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
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
