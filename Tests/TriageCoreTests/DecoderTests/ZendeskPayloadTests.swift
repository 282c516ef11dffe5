import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Zendesk payloads")
struct ZendeskPayloadTests {
    @Test func bareTicketMapsItsFields() throws {
        let drafts = try DecoderFixtures.fixture(.zendesk, "zendesk/ticket.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.externalID == "4821")
        #expect(draft.dedupKey == "zendesk-4821")
        #expect(draft.title == "Cannot log in to the customer portal")
        #expect(draft.description == "All our users get 'session expired' right after logging in.")
        #expect(draft.action == .update)
        #expect(draft.severity == .critical, "urgent")
        #expect(draft.labels["priority"] == "urgent")
        #expect(draft.labels["status"] == "open")
        #expect(draft.labels["type"] == "incident")
        #expect(draft.labels["group_id"] == "360001234567")
        #expect(draft.labels["via_channel"] == "email")
        #expect(draft.labels["tag:login"] == "true")
        #expect(draft.labels["tags"] == "enterprise,login,portal")
        #expect(draft.link == "https://acme.zendesk.com/agent/tickets/4821")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T06:48:03Z"))
    }

    @Test func wrappedSolvedTicketResolvesTheSameIncident() throws {
        let open = try DecoderFixtures.fixture(.zendesk, "zendesk/ticket.json")
        let solved = try #require(try DecoderFixtures.fixture(.zendesk, "zendesk/wrapped-solved.json").first)
        #expect(solved.action == .resolve)
        #expect(solved.dedupKey == open.first?.dedupKey)
        #expect(solved.title == "Cannot log in to the customer portal", "blank subject falls back to raw_subject")
        #expect(solved.labels["tag:root_cause_sso"] == "true")
    }

    @Test(arguments: [
        (#""urgent""#, Severity.critical), (#""URGENT""#, .critical), (#""high""#, .error), (#""normal""#, .warning),
        (#""low""#, .info), ("null", .unknown), (#""whenever""#, .unknown),
    ])
    func priorities(_ priority: String, _ severity: Severity) throws {
        let body = #"{"ticket": {"id": 1, "subject": "s", "priority": \#(priority)}}"#
        #expect(try DecoderFixtures.body(.zendesk, body).map(\.severity) == [severity])
    }

    @Test(arguments: [
        ("solved", IncidentDraft.Action.resolve), ("closed", .resolve), ("Solved", .resolve), ("new", .update),
        ("open", .update), ("pending", .update), ("hold", .update),
    ])
    func statuses(_ status: String, _ action: IncidentDraft.Action) throws {
        let body = #"{"id": "77", "subject": "s", "status": "\#(status)"}"#
        let drafts = try DecoderFixtures.body(.zendesk, body)
        #expect(drafts.map(\.action) == [action])
        #expect(drafts.first?.dedupKey == "zendesk-77")
    }

    @Test func templatedTagsAndLinksAreRead() throws {
        let body = #"{"ticket": {"id": "9", "subject": "s", "tags": "vip  billing,eu", "url": "https://help.example.com/t/9"}}"#
        let draft = try #require(try DecoderFixtures.body(.zendesk, body).first)
        #expect(draft.labels["tags"] == "vip,billing,eu")
        #expect(draft.labels["tag:billing"] == "true")
        #expect(draft.link == "https://help.example.com/t/9", "a URL that is not the API address is kept")
    }

    @Test(arguments: [
        (#"{"ticket": {"subject": "s"}}"#, "$.ticket.id", "required field is missing"),
        (#"{"ticket": {"id": 1}}"#, "$.ticket.subject", "required field is missing"),
        (#"{"ticket": []}"#, "$.ticket", "expected an object, found an array"),
        (#"{"ticket": null}"#, "$.ticket", "required field is missing"),
        (#"{"id": 1, "subject": "s", "created_at": "yesterday"}"#, "$.created_at", "expected a timestamp, found 'yesterday'"),
        (#"{"id": 1, "subject": "s", "tags": {"vip": true}}"#, "$.tags", "expected an array, found an object"),
        (#"{"id": 1, "subject": "s", "via": {"channel": ["web"]}}"#, "$.via.channel", "expected a string, found an array"),
        (#""ticket""#, "$", "expected an object, found a string"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.zendesk, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func zendeskPayloadsFromTheSharedDatasets() throws {
        let drafts = try DecoderFixtures.sample(.zendesk, "zendesk__demisto-content__ticket_10.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.externalID == "10")
        #expect(draft.dedupKey == "zendesk-10")
        #expect(draft.title == "one more")
        #expect(draft.description == "comment")
        #expect(draft.action == .update, "status open")
        #expect(draft.severity == .info, "priority low")
        #expect(draft.labels["group_id"] == "4678483739819")
        #expect(draft.labels["via_channel"] == "web")
        #expect(draft.labels["tags"] == nil)
        #expect(draft.link == "https://subdomain.zendesk.com/agent/tickets/10")
        #expect(DecoderFixtures.same(draft.occurredAt, "2022-08-08T08:14:25Z"))
    }
}
