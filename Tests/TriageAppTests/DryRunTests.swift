import Foundation
import Testing
import TriageCore
import TriageHTTP
import TriageTesting

/// `triage dry-run` as a rule author runs it: golden outputs, no side effects, a comparison.
struct DryRunTests {
    static let root = Fixtures.projectRoot
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// History, a webhook payload, the sample rules, a fixed arrival time.
    static func arguments(format: String, config: String = path("rules")) -> [String] {
        [
            "dry-run", "--config", config, "--now", "2026-11-27T16:40:00Z", "--format", format, "--text", "summary,details",
            "--time", "opened", "--id", "id", "--label", "group", path("fixtures/dry-run/history.csv"),
            path("fixtures/payloads/alertmanager-firing.json"), path("fixtures/payloads/generic-login.json"),
        ]
    }

    /// Compares with the golden file, or writes it when `TRIAGE_RECORD_GOLDEN=1`.
    func matchesGolden(_ raw: String, _ name: String) throws {
        // Rule locations quote the configuration's path: keep the files independent of the checkout's place.
        let output = raw.replacingOccurrences(of: Self.root.path + "/", with: "")
        let file = Self.path("fixtures/dry-run/\(name)")
        if ProcessInfo.processInfo.environment["TRIAGE_RECORD_GOLDEN"] == "1" {
            try output.write(toFile: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: file, encoding: .utf8)
        #expect(output == expected, "dry-run output differs from \(name); re-record with TRIAGE_RECORD_GOLDEN=1 if intended")
    }

    @Test(arguments: [("table", "sample.table.expected"), ("json", "sample.json.expected")])
    func outputMatchesTheGoldenFile(_ format: String, _ golden: String) async throws {
        let run = try await TriageProcess.run(Self.arguments(format: format))
        #expect(run.status == 0, "\(run.stderr)")
        try matchesGolden(run.stdout, golden)
    }

    @Test func aDryRunSendsNothingAndStoresNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            // Every vendor of this configuration delivers to the live endpoint.
            let config = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(port)")
            let run = try await TriageProcess.run(Self.arguments(format: "json", config: config))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains(#""vendor" : "acme-dba""#))  // it did decide deliveries…
            try await Task.sleep(for: .milliseconds(300))
            #expect(sink.received.isEmpty)  // …and sent none
            let files = try FileManager.default.subpathsOfDirectory(atPath: directory.url.path)
            #expect(files.filter { $0.hasSuffix(".sqlite") || $0.hasSuffix(".sqlite-wal") }.isEmpty)
        }
    }

    @Test func comparingTwoRuleSetsListsWhatChangesAndCanFailCI() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The same rules, but the billing outage rule now pins globex-infra.
        let other = directory.path("other")
        try FileManager.default.copyItem(atPath: Self.path("rules"), toPath: other)
        let rules = try String(contentsOfFile: other + "/rules.yaml", encoding: .utf8)
        let changed = rules.replacingOccurrences(
            of: "then: {category: database, subcategory: billing, priority: P1, vendor: acme-dba, sla_policy: expedite",
            with: "then: {category: database, subcategory: billing, priority: P1, vendor: globex-infra, sla_policy: expedite")
        #expect(changed != rules, "the sample rule this test edits has changed; update the test")
        try changed.write(toFile: other + "/rules.yaml", atomically: true, encoding: .utf8)

        let run = try await TriageProcess.run(Self.arguments(format: "table") + ["--compare", other])
        #expect(run.status == 0)
        #expect(run.stdout.contains("1 of 7 incidents change"))
        #expect(run.stdout.contains("vendor acme-dba → globex-infra: 1 (alertmanager-firing.json#1)"))
        let strict = try await TriageProcess.run(Self.arguments(format: "table") + ["--compare", other, "--fail-on-change"])
        #expect(strict.status == 1)
        let page = try await TriageProcess.run(Self.arguments(format: "html") + ["--compare", other])
        #expect(page.status == 0)
        #expect(page.stdout.hasPrefix("<!DOCTYPE html>") && page.stdout.contains("<svg"))
        #expect(page.stdout.contains("globex-infra") && !page.stdout.contains("http://") && !page.stdout.contains("<script"))
        let same = try await TriageProcess.run(Self.arguments(format: "table") + ["--compare", Self.path("rules"), "--fail-on-change"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("0 of 7 incidents change"))
    }

    @Test func badHistorySaysFileLineAndWhat() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let csv = directory.path("export.csv")
        try "id,opened,summary\nA-1,2026-11-23 09:15,ok\nA-2,31/02/2026,bad date\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let badTime = try await TriageProcess.run([
            "dry-run", "--config", Self.path("rules"), "--text", "summary", "--time", "opened", csv,
        ])
        #expect(badTime.status == 1)
        #expect(badTime.stderr.contains(
            "export.csv:3: opened '31/02/2026' is not a timestamp (RFC 3339 like 2026-11-29T10:00:00Z, or 2026-11-29 10:00 in UTC)"))
        let missing = try await TriageProcess.run(["dry-run", "--config", Self.path("rules"), "--text", "title", csv])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("export.csv: no column 'title' for --text (columns: id, opened, summary)"))
        // A replay reads the history as it comes: it must be in time order.
        let unsorted = directory.path("unsorted.csv")
        try "id,opened,summary\nA-1,2026-11-23 09:15,disk full\nA-2,2026-11-22 08:00,disk full\n"
            .write(toFile: unsorted, atomically: true, encoding: .utf8)
        let replay = try await TriageProcess.run([
            "dry-run", "--config", Self.path("rules"), "--text", "summary", "--time", "opened", "--replay", unsorted,
        ])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains(
            "unsorted.csv:3: 2026-11-22T08:00:00.000Z is earlier than the incident before it (2026-11-23T09:15:00.000Z); "
                + "--replay needs the history in time order: sort it by its time column"))
        let noText = try await TriageProcess.run(["dry-run", "--config", Self.path("rules"), csv])
        #expect(noText.status == 64)
        #expect(noText.stderr.contains("a CSV input needs --text"))
    }
}
