// swift-tools-version:6.2
// libFuzzer targets for triage's parsers of untrusted input. Not part of the root package: it is built
// only with the fuzzer and address sanitizers (see scripts/fuzz.sh, which `make fuzz` runs):
//
//   swift build -c release --package-path Fuzz --scratch-path Fuzz/.build --sanitize=fuzzer \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=address
//
// (`--sanitize=fuzzer` so that SwiftPM leaves `main` to libFuzzer; `-sanitize=fuzzer,address` as one
// swiftc flag, since two separate -sanitize flags lose the coverage instrumentation.)
//
// Each executable is one fuzz target (libFuzzer supplies `main`); its seeds are in corpus/<target>/.
import PackageDescription

// The root package's identity is the name of its folder (`main` here, something else in another clone).
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main").lowercased()

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One fuzz target: an executable whose only file defines `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"], swiftSettings: swiftSettings)
}

let package = Package(
    name: "TriageFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // The harness shared by every target: what each one feeds its bytes to, and what must hold.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "TriageCore", package: root),
                .product(name: "TriageConfig", package: root),
            ],
            swiftSettings: swiftSettings
        ),
        // One executable per fuzz target: a payload decoder per source kind (and Prometheus' /api/v2/alerts
        // body), the configuration loader, the CSV reader and the event-log reader.
        fuzzTarget("FuzzGeneric"),
        fuzzTarget("FuzzAlertmanager"),
        fuzzTarget("FuzzAlertmanagerAPI"),
        fuzzTarget("FuzzGrafana"),
        fuzzTarget("FuzzPagerDutyEvents"),
        fuzzTarget("FuzzPagerDutyWebhook"),
        fuzzTarget("FuzzOpsgenie"),
        fuzzTarget("FuzzJira"),
        fuzzTarget("FuzzGitHub"),
        fuzzTarget("FuzzServiceNow"),
        fuzzTarget("FuzzZendesk"),
        fuzzTarget("FuzzConfig"),
        fuzzTarget("FuzzCSV"),
        fuzzTarget("FuzzEventLog"),
    ]
)
