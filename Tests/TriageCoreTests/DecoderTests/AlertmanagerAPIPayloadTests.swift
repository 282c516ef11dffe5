import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Prometheus alert API payloads")
struct AlertmanagerAPIPayloadTests {
    static func decode(_ path: String, now: Date) throws -> [IncidentDraft] {
        try AlertmanagerAPIPayload.drafts(from: Fixtures.bytes("payloads/" + path), source: "prometheus", now: now)
    }

    @Test func endsAtInThePastResolves() throws {
        // now = 10:00; the first alert's endsAt is 10:04 (firing), the second's 09:45 (resolved).
        let drafts = try Self.decode("alertmanager-api/alerts.json", now: DecoderFixtures.now)
        #expect(drafts.count == 2)
        #expect(drafts.map(\.action) == [.trigger, .resolve])
        let lag = try #require(drafts.first)
        #expect(lag.source == "prometheus")
        #expect(lag.title == "Consumer group billing-events lags 52k messages")
        #expect(lag.dedupKey == "alertname=KafkaConsumerLag,consumer_group=billing-events,job=kafka-exporter,severity=warning,team=billing")
        #expect(lag.severity == .warning)
        #expect(lag.service == "kafka-exporter")
        #expect(lag.labels["team"] == "billing")
        #expect(lag.link == "http://prometheus.local:9090/graph?g0.expr=kafka_consumergroup_lag")
        #expect(DecoderFixtures.same(lag.occurredAt, "2026-11-29T09:00:00Z"))
        let down = try #require(drafts.last)
        #expect(down.title == "InstanceDown", "no summary: the alert name")
        #expect(down.severity == .critical)
    }

    @Test func theSameAlertKeepsItsKeyFromFiringToResolved() throws {
        let earlier = try Self.decode("alertmanager-api/alerts.json", now: try #require(RFC3339.parse("2026-11-29T09:30:00Z")))
        let later = try Self.decode("alertmanager-api/alerts.json", now: try #require(RFC3339.parse("2026-11-29T09:45:00Z")))
        #expect(earlier.map(\.action) == [.trigger, .trigger])
        #expect(later.map(\.action) == [.trigger, .resolve], "endsAt equal to now resolves")
        #expect(earlier.map(\.dedupKey) == later.map(\.dedupKey))
    }

    @Test func missingEndsAtAndEmptyBatches() throws {
        let body = #"[{"labels": {"alertname": "Watchdog"}, "endsAt": "0001-01-01T00:00:00Z"}, {"labels": {"alertname": "B"}}]"#
        let drafts = try AlertmanagerAPIPayload.drafts(from: Array(body.utf8), source: "p", now: DecoderFixtures.now)
        #expect(drafts.map(\.action) == [.trigger, .trigger])
        #expect(drafts.map(\.dedupKey) == ["alertname=Watchdog", "alertname=B"])
        #expect(try AlertmanagerAPIPayload.drafts(from: Array("[]".utf8), source: "p", now: DecoderFixtures.now).isEmpty)
    }

    @Test(arguments: [
        (#"{"alerts": []}"#, "$", "expected an array of alerts, found an object"),
        (#"[{"labels": {"alertname": "x"}}, {"labels": {}}]"#, "$[1]", "has neither annotations.summary nor labels.alertname"),
        (#"[5]"#, "$[0]", "expected an object, found a number"),
        (#"[{"labels": {"alertname": "x"}, "endsAt": "later"}]"#, "$[0].endsAt", "expected an RFC 3339 timestamp, found 'later'"),
        (#"[{"labels": ["alertname"]}]"#, "$[0].labels", "expected an object, found an array"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = #expect(throws: PayloadError.self) {
            _ = try AlertmanagerAPIPayload.drafts(from: Array(body.utf8), source: "p", now: DecoderFixtures.now)
        }
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test func bodyThatIsNotJSONIsMalformed() {
        let error = #expect(throws: PayloadError.self) {
            _ = try AlertmanagerAPIPayload.drafts(from: Array("[{".utf8), source: "p", now: DecoderFixtures.now)
        }
        #expect(error?.kind == .malformed)
    }
}
