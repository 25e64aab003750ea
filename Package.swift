// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "retrain",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "retrain", targets: ["retrain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        /// libyaml, the system library (Debian: libyaml-dev). Only RetrainYAML imports it.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        /// YAML source bytes → a node tree whose every node keeps its 1-based line and column.
        .target(name: "RetrainYAML", dependencies: ["CYAML"]),
        /// Schedules, validation, diagnostics, catalogue: everything but the command line.
        .target(
            name: "RetrainCore",
            dependencies: [
                "RetrainYAML",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        /// The ArgumentParser commands, in a library so tests can call them.
        .target(
            name: "RetrainCommands",
            dependencies: [
                "RetrainCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "retrain", dependencies: ["RetrainCommands"]),
        .testTarget(name: "RetrainYAMLTests", dependencies: ["RetrainYAML"]),
        .testTarget(name: "RetrainCoreTests", dependencies: ["RetrainCore"]),
        .testTarget(name: "RetrainCommandsTests", dependencies: ["RetrainCommands", "RetrainCore"]),
    ],
    swiftLanguageModes: [.v6]
)
