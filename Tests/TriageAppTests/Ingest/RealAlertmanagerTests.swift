import Foundation
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// A real Alertmanager (Debian's package, started on loopback) notifies triage through its webhook
/// receiver: each alert is stored once, and resolving the alerts resolves the incidents.
/// `make test` installs Alertmanager and sets TRIAGE_REQUIRE_ALERTMANAGER, so there a missing binary
/// fails the suite instead of skipping it; a bare `swift test` without it skips with the reason.
@Suite(
    .enabled(
        if: AlertmanagerProcess.executable != nil
            || ProcessInfo.processInfo.environment["TRIAGE_REQUIRE_ALERTMANAGER"] == "1",
        "prometheus-alertmanager is not installed (make test installs it)"))
struct RealAlertmanagerTests {
    static let sources = """
        sources:
          - name: alertmanager
            kind: alertmanager
        """

    func alerts(ending endsAt: Date?) -> String {
        let instances = ["db-1:9100", "db-2:9100", "web-1:9100"]
        let items = instances.map { instance in
            let end = endsAt.map { #", "endsAt": "\#(RFC3339.format($0))""# } ?? ""
            return """
                {"labels": {"alertname": "InstanceDown", "instance": "\(instance)", "severity": "critical", "job": "node"},
                 "annotations": {"summary": "\(instance) is down"}\(end)}
                """
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    @Test func alertsFromARealAlertmanagerAreStoredOnceAndResolved() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await IngestHarness.with(sources: Self.sources) { base, store, http in
            let configuration = """
                route:
                  receiver: triage
                  group_by: ['alertname', 'instance']
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: triage
                    webhook_configs:
                      - url: \(base)/webhooks/alertmanager
                        send_resolved: true
                """
            let alertmanager = try await AlertmanagerProcess(configuration: configuration, directory: directory)
            do {
                let posted = try await http.post(alertmanager.baseURL + "/api/v2/alerts", alerts(ending: nil))
                #expect(posted.status == 200, "\(posted.text)")
                let firing = try await waitForIncidents(store, count: 3) { $0.allSatisfy { $0.status == .open } }
                #expect(Set(firing.map(\.title)) == ["db-1:9100 is down", "db-2:9100 is down", "web-1:9100 is down"])
                // Alertmanager's own fingerprints are the dedup keys: 16 hex digits each.
                #expect(firing.allSatisfy { $0.dedupKey.count == 16 && $0.dedupKey.allSatisfy(\.isHexDigit) })
                #expect(firing.allSatisfy { $0.occurrences == 1 })

                let ended = try await http.post(alertmanager.baseURL + "/api/v2/alerts", alerts(ending: Date()))
                #expect(ended.status == 200)
                let resolved = try await waitForIncidents(store, count: 3) { $0.allSatisfy { $0.status == .resolved } }
                #expect(Set(resolved.map(\.id)) == Set(firing.map(\.id)))
                #expect(try await store.counts()["incident"] == 3)
            } catch {
                Issue.record("alertmanager log:\n\(alertmanager.log)")
                await alertmanager.stop()
                throw error
            }
            await alertmanager.stop()
        }
    }

    /// Polls the store (real time: Alertmanager runs on its own clock) for up to 30 seconds.
    func waitForIncidents(
        _ store: SQLiteStore, count: Int, until done: ([Incident]) -> Bool
    ) async throws -> [Incident] {
        var last: [Incident] = []
        for _ in 0..<300 {
            last = try await store.incidents(source: "alertmanager")
            if last.count == count, done(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("incidents never reached the expected state; last: \(last.map { ($0.title, $0.status) })")
        throw CancellationError()
    }
}
