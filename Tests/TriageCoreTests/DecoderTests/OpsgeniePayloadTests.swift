import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Opsgenie payloads")
struct OpsgeniePayloadTests {
    @Test func createMapsTheAlert() throws {
        let drafts = try DecoderFixtures.fixture(.opsgenie, "opsgenie/create.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.action == .trigger)
        #expect(draft.dedupKey == "orders-db-replication-lag")
        #expect(draft.externalID == "6f0d2b5a-1c3e-4a7b-9d8e-2f1a0b3c4d5e-1764400000000")
        #expect(draft.title == "Replication lag on orders-db exceeds 60s")
        #expect(draft.description == "Replica orders-db-2 is 74s behind.")
        #expect(draft.severity == .error)
        #expect(draft.service == "orders-db")
        #expect(draft.labels["priority"] == "P2")
        #expect(draft.labels["entity"] == "orders-db")
        #expect(draft.labels["alert_source"] == "prometheus")
        #expect(draft.labels["integration"] == "Triage Webhook")
        #expect(draft.labels["tag:vip"] == "true")
        #expect(draft.labels["tag:database"] == "true")
        #expect(draft.labels["tags"] == "database,prod,vip")
        #expect(draft.link == nil)
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T07:27:14.567Z"))
    }

    @Test func closeResolvesTheCreatedAlert() throws {
        let created = try DecoderFixtures.fixture(.opsgenie, "opsgenie/create.json")
        let closed = try #require(try DecoderFixtures.fixture(.opsgenie, "opsgenie/close.json").first)
        #expect(closed.action == .resolve)
        #expect(closed.dedupKey == created.first?.dedupKey)
        #expect(closed.externalID == created.first?.externalID)
    }

    @Test(arguments: [
        ("Create", IncidentDraft.Action.trigger), ("create", .trigger), ("Acknowledge", .acknowledge),
        ("Close", .resolve), ("Delete", .resolve), ("Escalate", .update), ("AddNote", .update),
        ("UnAcknowledge", .update), ("UpdatePriority", .update),
    ])
    func actions(_ action: String, _ expected: IncidentDraft.Action) throws {
        let body = #"{"action": "\#(action)", "alert": {"alertId": "a-1", "message": "m"}}"#
        let drafts = try DecoderFixtures.body(.opsgenie, body)
        #expect(drafts.map(\.action) == [expected])
        #expect(drafts.first?.dedupKey == "a-1", "without an alias the alert id is the dedup key")
    }

    @Test(arguments: [("1", Severity.critical, "P1"), ("P3", .warning, "P3"), ("p5", .info, "P5"), ("4", .info, "P4")])
    func priorities(_ priority: String, _ severity: Severity, _ label: String) throws {
        let body = #"{"action": "Create", "alert": {"alias": "x", "message": "m", "priority": "\#(priority)"}}"#
        let draft = try #require(try DecoderFixtures.body(.opsgenie, body).first)
        #expect(draft.severity == severity)
        #expect(draft.labels["priority"] == label)
    }

    @Test(arguments: [
        (#"{"alert": {"alias": "a"}}"#, "$.action", "required field is missing"),
        (#"{"action": "Create"}"#, "$.alert", "required field is missing"),
        (#"{"action": "Create", "alert": {"message": "m"}}"#, "$.alert", "has neither alias nor alertId"),
        (#"{"action": "Create", "alert": {"alias": "a", "tags": [["db"]]}}"#,
         "$.alert.tags[0]", "expected a string, found an array"),
        (#"{"action": "Create", "alert": {"alias": "a", "createdAt": true}}"#,
         "$.alert.createdAt", "expected a timestamp, found true or false"),
        (#"{"action": "Create", "alert": {"alias": {"id": 1}}}"#, "$.alert.alias", "expected a string, found an object"),
        (#"{"action": "Create", "alert": []}"#, "$.alert", "expected an object, found an array"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.opsgenie, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func opsgeniePayloadsFromTheSharedDatasets() throws {
        let create = try #require(try DecoderFixtures.sample(.opsgenie, "opsgenie__zulip__create.json").first)
        #expect(create.action == .trigger)
        #expect(create.dedupKey == "alert-alias")
        #expect(create.externalID == "ec03dad6-62c8-4c94-b38b-d88f398e900f")
        #expect(create.title == "another alert")
        #expect(create.severity == .warning, "priority 3 is P3")
        #expect(create.labels["priority"] == "P3")
        #expect(create.labels["tag:vip"] == "true")
        #expect(create.service == "Server")
        #expect(DecoderFixtures.same(create.occurredAt, "2017-08-14T11:25:56.288Z"))

        let escalate = try #require(try DecoderFixtures.sample(.opsgenie, "opsgenie__zulip__escalate.json").first)
        #expect(escalate.action == .update)
        #expect(escalate.dedupKey == "7ba97e3a-d328-4b5e-8f9a-39e945a3869a")
        #expect(escalate.title == "7ba97e3a-d328-4b5e-8f9a-39e945a3869a")

        let ack = try #require(try DecoderFixtures.sample(.opsgenie, "opsgenie__zulip__acknowledge.json").first)
        #expect(ack.action == .acknowledge)
        #expect(ack.dedupKey == "aliastest")
        #expect(ack.labels["tags"] == "tag1,tag2")

        let close = try #require(try DecoderFixtures.sample(.opsgenie, "opsgenie__zulip__close.json").first)
        #expect(close.action == .resolve)
        #expect(close.dedupKey == ack.dedupKey)
        #expect(close.title == "test alert")
        #expect(close.labels["tags"] == nil, "an empty tag list adds no label")
    }
}
