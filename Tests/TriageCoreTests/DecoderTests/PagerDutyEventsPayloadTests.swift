import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("PagerDuty Events API v2 payloads")
struct PagerDutyEventsPayloadTests {
    @Test func triggerMapsPayloadFields() throws {
        let drafts = try DecoderFixtures.fixture(.pagerdutyEvents, "pagerduty-events/trigger.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.title == "High error rate on checkout-api: 12% 5xx")
        #expect(draft.dedupKey == "srv01/HTTP-5xx")
        #expect(draft.externalID == "srv01/HTTP-5xx")
        #expect(draft.action == .trigger)
        #expect(draft.severity == .critical)
        #expect(draft.service == "checkout-api")
        #expect(draft.labels["component"] == "checkout-api")
        #expect(draft.labels["group"] == "prod-datapipe")
        #expect(draft.labels["class"] == "http-5xx")
        #expect(draft.labels["alert_source"] == "checkout-api-7c9f.prod.example.com")
        #expect(draft.labels["region"] == "eu-west-1")
        #expect(draft.labels["error_rate"] == "0.12")
        #expect(draft.labels["runbook_steps"] == nil)
        #expect(draft.link == "https://grafana.example.com/d/checkout?orgId=1")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T07:42:10Z"))
    }

    @Test func acknowledgeAndResolveLandOnTheTrigger() throws {
        let trigger = try #require(try DecoderFixtures.fixture(.pagerdutyEvents, "pagerduty-events/trigger.json").first)
        let ack = try #require(try DecoderFixtures.fixture(.pagerdutyEvents, "pagerduty-events/acknowledge.json").first)
        #expect(ack.action == .acknowledge)
        #expect(ack.dedupKey == trigger.dedupKey)
        #expect(ack.title == "srv01/HTTP-5xx")
        #expect(ack.severity == .unknown)
        let resolve = try #require(try DecoderFixtures.fixture(.pagerdutyEvents, "pagerduty-events/resolve.json").first)
        #expect(resolve.action == .resolve)
        #expect(resolve.dedupKey == trigger.dedupKey)
        #expect(resolve.title == trigger.title)
    }

    @Test func triggerWithoutDedupKeyGetsAStableOne() throws {
        let body = #"""
            {"event_action": "trigger",
             "payload": {"summary": "Disk full on db-3", "source": "db-3.example.com", "severity": "Warning"}}
            """#
        let first = try DecoderFixtures.body(.pagerdutyEvents, body)
        let again = try DecoderFixtures.body(.pagerdutyEvents, body)
        #expect(first.first?.dedupKey == "db-3.example.com:Disk full on db-3")
        #expect(first.first?.dedupKey == again.first?.dedupKey)
        #expect(first.first?.externalID == nil)
        #expect(first.first?.severity == .warning)
        #expect(first.first?.service == "db-3.example.com")
    }

    @Test func customDetailsTextIsTheDescription() throws {
        let body = #"""
            {"event_action": "trigger", "dedup_key": "k",
             "payload": {"summary": "s", "source": "h", "severity": "info", "custom_details": "ping failed 3 times"},
             "client_url": "https://nagios.example.com"}
            """#
        let draft = try #require(try DecoderFixtures.body(.pagerdutyEvents, body).first)
        #expect(draft.description == "ping failed 3 times")
        #expect(draft.link == "https://nagios.example.com")
    }

    @Test(arguments: [
        (#"{"event_action": "snooze", "dedup_key": "k"}"#,
         "$.event_action", "expected trigger, acknowledge or resolve, got 'snooze'"),
        (#"{"dedup_key": "k"}"#, "$.event_action", "required field is missing"),
        (#"{"event_action": "resolve"}"#, "$.dedup_key", "required when event_action is resolve"),
        (#"{"event_action": "acknowledge", "payload": {"summary": "s"}}"#,
         "$.dedup_key", "required when event_action is acknowledge"),
        (#"{"event_action": "trigger"}"#, "$.payload", "required field is missing"),
        (#"{"event_action": "trigger", "payload": {"source": "h", "severity": "info"}}"#,
         "$.payload.summary", "required field is missing"),
        (#"{"event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "fatal"}}"#,
         "$.payload.severity", "expected critical, error, warning or info, got 'fatal'"),
        (#"{"event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "info", "custom_details": [1]}}"#,
         "$.payload.custom_details", "expected an object, found an array"),
        (#"{"event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "info"}, "links": {"href": "x"}}"#,
         "$.links", "expected an array, found an object"),
        (#"{"event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "info", "timestamp": "yesterday"}}"#,
         "$.payload.timestamp", "expected a timestamp, found 'yesterday'"),
        (#"{"event_action": "resolve", "dedup_key": "k", "payload": "done"}"#, "$.payload", "expected an object, found a string"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.pagerdutyEvents, body)
        #expect(error == PayloadError(path: path, message: message))
    }
}
