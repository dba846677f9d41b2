// swift-tools-version:6.0
// libFuzzer targets for mailflow's parsers, one per parser family. Kept out of the main package so
// `swift build` and `swift test` there stay fast; build and run with ../scripts/fuzz.sh.
import PackageDescription

let families = ["FuzzSniff", "FuzzExchangeLogs", "FuzzTraceCSV", "FuzzJSON", "FuzzCliXml", "FuzzPostfix", "FuzzGzip"]

let package = Package(
    name: "mailflow-fuzz",
    dependencies: [.package(name: "mailflow", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "MailFlowKit", package: "mailflow")]),
    ] + families.map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "MailFlowKit", package: "mailflow")])
    }
)
