// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "outcomes",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "outcomes", targets: ["outcomes"]),
        .library(name: "OutcomesKit", targets: ["OutcomesKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C library libcsv (Debian: libcsv-dev), wrapped once in Ingest/CSVRecordReader.swift.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]),
        // cmark-gfm (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev): the
        // report's Markdown rendered to HTML by GitHub's own CommonMark/GFM engine.
        .systemLibrary(
            name: "CCMarkGFM",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // json-c (Debian: libjson-c-dev): the lines of FHIR NDJSON exports, in Ingest/FHIRRecordReader.swift.
        .systemLibrary(
            name: "CJSONC",
            providers: [.apt(["libjson-c-dev"])]),
        // OpenSSL's libcrypto (Debian: libssl-dev), for SHA-256 (Support/Digest.swift). It
        // replaced swift-crypto, whose BoringSSL was most of a fresh build's compile time.
        .systemLibrary(
            name: "CLibCrypto",
            providers: [.apt(["libssl-dev"])]),
        // One Linux system call Swift's Glibc module does not expose (renameat2).
        .target(name: "CSystemShims"),
        .target(
            name: "OutcomesKit",
            dependencies: [
                "CLibCSV",
                "CCMarkGFM",
                "CJSONC",
                "CLibCrypto",
                "CSystemShims",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "outcomes",
            dependencies: [
                "OutcomesKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "OutcomesKitTests",
            dependencies: ["OutcomesKit", "outcomes"],
            resources: [.copy("Fixtures")]),
    ]
)
