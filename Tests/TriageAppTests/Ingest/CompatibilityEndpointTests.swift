import Foundation
import Testing
import TriageCurl
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// The drop-in endpoints: Alertmanager's alert API and PagerDuty's Events API v2.
struct CompatibilityEndpointTests {
    static let sources = """
        sources:
          - name: alertmanager
            kind: alertmanager
          - name: pagerduty-events
            kind: pagerduty-events
            auth: {type: routing_key, secret_env: PD_ROUTING_KEY}
        compatibility:
          alertmanager_api: alertmanager
          pagerduty_enqueue: pagerduty-events
        """

    struct Enqueued: Decodable, Equatable {
        var status: String
        var message: String
        var dedup_key: String?
    }

    struct Accepted: Decodable {
        struct Entry: Decodable {
            var id: String
            var outcome: String
        }
        var incidents: [Entry]
    }

    @Test func prometheusStylePostsToTheAlertAPI() async throws {
        try await IngestHarness.with(sources: Self.sources) { base, store, http in
            let firing = """
                [{"labels": {"alertname": "DiskFull", "instance": "db-1:9100", "severity": "critical"},
                  "annotations": {"summary": "Disk almost full on db-1"},
                  "startsAt": "2026-11-29T06:00:00Z", "generatorURL": "http://prometheus:9090/graph"}]
                """
            let first = try await http.post(base + "/api/v2/alerts", firing)
            #expect(first.status == 200, "\(first.text)")
            let created = try first.decoded(Accepted.self).incidents
            #expect(created.map(\.outcome) == ["created"])
            // Prometheus re-sends firing alerts every evaluation: deduplicated.
            #expect(try await http.post(base + "/api/v2/alerts", firing).decoded(Accepted.self).incidents.map(\.outcome) == ["deduplicated"])
            // And sends endsAt in the past once the alert stops.
            let resolved = firing.replacingOccurrences(
                of: #""startsAt""#, with: #""endsAt": "2026-11-29T06:05:00Z", "startsAt""#)
            let answer = try await http.post(base + "/api/v2/alerts", resolved).decoded(Accepted.self).incidents
            #expect(answer.map(\.outcome) == ["resolved"])
            #expect(answer.map(\.id) == created.map(\.id))
            #expect(try await store.counts()["incident"] == 1)
        }
    }

    @Test func pagerDutyEventsEnqueue() async throws {
        try await IngestHarness.with(sources: Self.sources, environment: ["PD_ROUTING_KEY": "R0UTE"]) { base, store, http in
            let trigger = """
                {"routing_key": "R0UTE", "event_action": "trigger", "dedup_key": "srv01/cpu",
                 "payload": {"summary": "CPU on srv01 above 95%", "source": "srv01", "severity": "critical"}}
                """
            let answer = try await http.post(base + "/v2/enqueue", trigger)
            #expect(answer.status == 202)
            #expect(try answer.decoded(Enqueued.self) == Enqueued(status: "success", message: "Event processed", dedup_key: "srv01/cpu"))
            let resolve = #"{"routing_key": "R0UTE", "event_action": "resolve", "dedup_key": "srv01/cpu"}"#
            #expect(try await http.post(base + "/v2/enqueue", resolve).status == 202)
            let wrongKey = trigger.replacingOccurrences(of: "R0UTE", with: "OTHER")
            let refused = try await http.post(base + "/v2/enqueue", wrongKey)
            #expect(refused.status == 401)
            let badAction = trigger.replacingOccurrences(of: #""trigger""#, with: #""explode""#)
            let invalid = try await http.post(base + "/v2/enqueue", badAction)
            #expect(invalid.status == 422)
            #expect(try invalid.decoded(ErrorBody.self).path == "$.event_action")
            // The kept body of the invalid event has its routing key blanked.
            let kept = try await store.rejectedPayloads(source: "pagerduty-events", limit: 5)
            #expect(kept.contains { $0.status == 422 && $0.body.contains("[redacted]") && !$0.body.contains("R0UTE") })
            let counts = try await store.counts()
            #expect(counts["incident"] == 1)
            #expect(counts["rawPayload"] == 2)
        }
    }
}
