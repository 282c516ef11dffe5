import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("PagerDuty Webhooks v3 payloads")
struct PagerDutyWebhookPayloadTests {
    @Test func triggeredIncidentMapsItsFields() throws {
        let drafts = try DecoderFixtures.fixture(.pagerdutyWebhook, "pagerduty-webhook/triggered.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.dedupKey == "Q2KR5NRT3VX1AB")
        #expect(draft.externalID == "Q2KR5NRT3VX1AB")
        #expect(draft.title == "Payments queue backlog above 10k")
        #expect(draft.action == .trigger)
        #expect(draft.severity == .critical)
        #expect(draft.service == "payments-worker")
        #expect(draft.labels["priority"] == "P1")
        #expect(draft.labels["urgency"] == "high")
        #expect(draft.labels["escalation_policy"] == "Payments on-call")
        #expect(draft.labels["assignee"] == "Dana Ortiz")
        #expect(draft.labels["incident_number"] == "1842")
        #expect(draft.labels["event_type"] == "incident.triggered")
        #expect(draft.link == "https://acme.pagerduty.com/incidents/Q2KR5NRT3VX1AB")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T08:01:00Z"))
    }

    @Test func resolvedLandsOnTheTriggeredIncident() throws {
        let triggered = try DecoderFixtures.fixture(.pagerdutyWebhook, "pagerduty-webhook/triggered.json")
        let resolved = try #require(try DecoderFixtures.fixture(.pagerdutyWebhook, "pagerduty-webhook/resolved.json").first)
        #expect(resolved.action == .resolve)
        #expect(resolved.dedupKey == triggered.first?.dedupKey)
        #expect(resolved.severity == .warning, "no priority: urgency low gives warning")
        #expect(resolved.labels["priority"] == nil)
    }

    @Test func pingIsIgnored() throws {
        #expect(try DecoderFixtures.fixture(.pagerdutyWebhook, "pagerduty-webhook/ping.json").isEmpty)
        #expect(try DecoderFixtures.body(.pagerdutyWebhook, #"{"event": {"event_type": "service.updated", "data": {}}}"#).isEmpty)
    }

    @Test(arguments: [
        ("incident.triggered", IncidentDraft.Action.trigger), ("incident.reopened", .trigger),
        ("incident.acknowledged", .acknowledge), ("incident.resolved", .resolve), ("incident.escalated", .update),
        ("incident.priority_updated", .update), ("incident.reassigned", .update), ("incident.unacknowledged", .update),
    ])
    func eventTypes(_ eventType: String, _ action: IncidentDraft.Action) throws {
        let body = #"{"event": {"event_type": "\#(eventType)", "data": {"id": "Q1", "type": "incident", "title": "t"}}}"#
        let drafts = try DecoderFixtures.body(.pagerdutyWebhook, body)
        #expect(drafts.map(\.action) == [action])
        #expect(drafts.first?.dedupKey == "Q1")
    }

    @Test func annotationUpdatesTheIncidentItNames() throws {
        let body = #"""
            {"event": {"event_type": "incident.annotated", "occurred_at": "2026-11-29T08:20:00Z",
             "data": {"type": "incident_note", "content": "Rolled back to v41",
                      "incident": {"id": "Q2KR5NRT3VX1AB", "type": "incident_reference",
                                   "summary": "Payments queue backlog above 10k",
                                   "html_url": "https://acme.pagerduty.com/incidents/Q2KR5NRT3VX1AB"}}}}
            """#
        let draft = try #require(try DecoderFixtures.body(.pagerdutyWebhook, body).first)
        #expect(draft.action == .update)
        #expect(draft.dedupKey == "Q2KR5NRT3VX1AB")
        #expect(draft.title == "Payments queue backlog above 10k")
        #expect(draft.description == "Rolled back to v41")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T08:20:00Z"))
    }

    @Test(arguments: [
        (#"{"event": {"event_type": "incident.triggered", "data": {"type": "incident", "title": "t"}}}"#,
         "$.event.data.id", "required field is missing"),
        (#"{"event": {"event_type": "incident.triggered", "data": {"id": "Q1", "type": "incident"}}}"#,
         "$.event.data.title", "required field is missing"),
        (#"{"event": {"data": {}}}"#, "$.event.event_type", "required field is missing"),
        (#"{"event": "incident.triggered"}"#, "$.event", "expected an object, found a string"),
        (#"{"event": {"event_type": "incident.triggered"}}"#, "$.event.data", "required field is missing"),
        (#"{"event": {"event_type": "incident.triggered", "data": {"id": "Q1", "title": "t", "created_at": "soon"}}}"#,
         "$.event.data.created_at", "expected a timestamp, found 'soon'"),
        (#"{"event": {"event_type": "incident.triggered", "data": {"id": "Q1", "title": "t", "assignees": {}}}}"#,
         "$.event.data.assignees", "expected an array, found an object"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.pagerdutyWebhook, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func pagerDutyPayloadsFromTheSharedDatasets() throws {
        let triggered = try #require(try DecoderFixtures.sample(.pagerdutyWebhook, "pagerduty__zulip__triggered_v3.json").first)
        #expect(triggered.dedupKey == "PFQZPSY")
        #expect(triggered.title == "Test Incident 3")
        #expect(triggered.action == .trigger)
        #expect(triggered.severity == .error, "priority null, urgency high")
        #expect(triggered.service == "pig208")
        #expect(triggered.link == "https://pig208.pagerduty.com/incidents/PFQZPSY")

        let escalated = try #require(try DecoderFixtures.sample(.pagerdutyWebhook, "pagerduty__zulip__escalate_v3.json").first)
        #expect(escalated.dedupKey == "Q3B15VLMF3ASBD")
        #expect(escalated.action == .update)
        #expect(escalated.severity == .critical)
        #expect(escalated.labels["priority"] == "P1")
        #expect(escalated.labels["incident_type"] == "major_default")
        #expect(escalated.labels["escalation_policy"] == "Default")
        #expect(escalated.title == "Critical: Checkout API High Latency")

        let reprioritised = try #require(
            try DecoderFixtures.sample(.pagerdutyWebhook, "pagerduty__zulip__priority_updated_v3.json").first)
        #expect(reprioritised.dedupKey == escalated.dedupKey)
        #expect(reprioritised.action == .update)
        #expect(reprioritised.severity == .error)
        #expect(reprioritised.labels["priority"] == "P2")

        let resolved = try #require(try DecoderFixtures.sample(.pagerdutyWebhook, "pagerduty__zulip__resolved_v3.json").first)
        #expect(resolved.dedupKey == "PCPZE64")
        #expect(resolved.action == .resolve)
        #expect(resolved.title == "Test Incident")
        #expect(DecoderFixtures.same(resolved.occurredAt, "2021-06-04T13:16:53.816Z"))
    }
}
