// swift-tools-version: 6.1
import PackageDescription

/// The trainer's loops are written for 8-wide vectors with fused multiply-add: on x86-64 that is
/// AVX2 + FMA (x86-64-v3, every x86 CPU since 2013-2015); measured 2x faster than the baseline
/// SSE2 build (see README, Speed). arm64 has both always.
#if arch(x86_64)
    let trainerSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
    let trainerSettings: [SwiftSetting] = []
#endif

// Linux only (glibc, /proc, prctl, the Debian packages): README "Platforms". No Darwin branches
// are kept that nothing builds.
let package = Package(
    name: "retrain",
    products: [
        .executable(name: "retrain", targets: ["retrain"])
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
            providers: [.apt(["libyaml-dev"])]
        ),
        /// The process calls Swift cannot make itself (prctl is variadic). Headers only.
        .systemLibrary(name: "CProcess"),
        /// The bottom layer: files (atomic writes, bounded reads), JSON (values, the tape reader),
        /// text tables, parallel loops, source positions, and time (instants, local times, zone
        /// rules, the tz database). Knows nothing of schedules; a module of its own so that nothing
        /// in it can reach up.
        .target(name: "RetrainBase"),
        /// YAML source bytes → a node tree whose every node keeps its 1-based line and column.
        .target(name: "RetrainYAML", dependencies: ["CYAML", "RetrainBase"]),
        /// The built-in trainer: CSV, preprocessing, the network, Adam, metrics, the model artifact.
        /// Knows nothing of schedules or runs.
        .target(name: "RetrainML", dependencies: ["RetrainBase"], swiftSettings: trainerSettings),
        /// Schedules, validation, diagnostics, catalogue: everything but the command line.
        .target(
            name: "RetrainCore",
            dependencies: [
                "RetrainBase",
                "RetrainYAML",
                "RetrainML",
                "CProcess",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.embedInCode("Reports/Assets/dashboard.css"), .embedInCode("Reports/Assets/dashboard.js")]
        ),
        /// The ArgumentParser commands, in a library so tests can call them.
        .target(
            name: "RetrainCommands",
            dependencies: [
                "RetrainCore",
                "RetrainML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Linked with mimalloc (Debian: libmimalloc-dev), which takes over malloc for the whole
        /// process, libyaml included: reading 10,000 schedule files makes a few million small
        /// allocations on every core, and `retrain plan` runs 7% faster than with glibc's malloc
        /// (README, Speed).
        .executableTarget(
            name: "retrain",
            dependencies: ["RetrainCommands"],
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        /// What the tests share: fakes, fixtures, literals.
        .target(name: "RetrainTestSupport", dependencies: ["RetrainCore"], path: "Tests/RetrainTestSupport"),
        .testTarget(name: "RetrainBaseTests", dependencies: ["RetrainBase", "RetrainTestSupport"]),
        .testTarget(name: "RetrainYAMLTests", dependencies: ["RetrainYAML"]),
        .testTarget(name: "RetrainMLTests", dependencies: ["RetrainML"]),
        .testTarget(name: "RetrainCoreTests", dependencies: ["RetrainBase", "RetrainCore", "RetrainTestSupport"]),
        .testTarget(name: "RetrainCommandsTests", dependencies: ["RetrainCommands", "RetrainCore", "RetrainTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

/// `make fuzz` only: linked with libFuzzer (the Makefile's `fuzz` says how), which it drives.
if Context.environment["RETRAIN_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "RetrainFuzz", dependencies: ["RetrainBase", "RetrainCore", "RetrainML"]))
}

/// `make bench` only: the zone rules against Foundation's (Sources/RetrainZoneBench says how).
if Context.environment["RETRAIN_BENCH"] != nil {
    package.targets.append(.executableTarget(name: "RetrainZoneBench", dependencies: ["RetrainBase"]))
}
