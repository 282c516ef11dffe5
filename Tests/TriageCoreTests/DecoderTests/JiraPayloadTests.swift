import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Jira payloads")
struct JiraPayloadTests {
    @Test func issueCreatedMapsTheIssue() throws {
        let drafts = try DecoderFixtures.fixture(.jira, "jira/issue-created.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.action == .trigger)
        #expect(draft.dedupKey == "OPS-481")
        #expect(draft.externalID == "OPS-481")
        #expect(draft.title == "Checkout returns 502 for EU customers")
        #expect(draft.description == "Since 07:40 CET checkout answers 502.\nOnly EU region\nReported by @Priya Natarajan")
        #expect(draft.severity == .critical, "Highest")
        #expect(draft.labels["project"] == "OPS")
        #expect(draft.labels["issue_type"] == "Bug")
        #expect(draft.labels["priority"] == "Highest")
        #expect(draft.labels["status"] == "To Do")
        #expect(draft.labels["label:eu"] == "true")
        #expect(draft.labels["labels"] == "customer-impact,eu")
        #expect(draft.service == "checkout")
        #expect(draft.link == "https://acme.atlassian.net/browse/OPS-481")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T07:00:00Z"), "+0100 offset without a colon")
    }

    @Test func priorityChangeUpdatesAndSaysWhatChanged() throws {
        let created = try DecoderFixtures.fixture(.jira, "jira/issue-created.json")
        let draft = try #require(try DecoderFixtures.fixture(.jira, "jira/issue-updated-priority.json").first)
        #expect(draft.action == .update)
        #expect(draft.dedupKey == created.first?.dedupKey)
        #expect(draft.severity == .warning, "Medium")
        #expect(draft.labels["changed.priority"] == "Highest->Medium")
        #expect(draft.description == "Since 07:40 CET checkout answers 502. Only EU region.")
    }

    @Test func movingToDoneResolves() throws {
        let created = try DecoderFixtures.fixture(.jira, "jira/issue-created.json")
        let draft = try #require(try DecoderFixtures.fixture(.jira, "jira/issue-resolved.json").first)
        #expect(draft.action == .resolve)
        #expect(draft.dedupKey == created.first?.dedupKey)
        #expect(draft.labels["changed.status"] == "In Progress->Done")
        #expect(draft.labels["changed.resolution"] == "->Done")
        #expect(draft.description == "")
    }

    @Test(arguments: [
        // Only the changelog says the status moved to a done-like name.
        (#""changelog": {"items": [{"field": "status", "fromString": "Open", "toString": "Closed"}]}"#,
         "null", IncidentDraft.Action.resolve),
        // No changelog and no category: the status name alone.
        ("\"changelog\": null", #"{"name": "Resolved"}"#, .resolve),
        // A custom done status, known by its category only.
        ("\"changelog\": {\"items\": []}", #"{"name": "Won't Do", "statusCategory": {"key": "done"}}"#, .resolve),
        ("\"changelog\": {\"items\": []}", #"{"name": "In Review", "statusCategory": {"key": "indeterminate"}}"#, .update),
        (#""changelog": {"items": [{"field": "assignee", "fromString": null, "toString": "Dana"}]}"#,
         #"{"name": "Open"}"#, .update),
    ])
    func updatedIssueStatus(_ changelog: String, _ status: String, _ action: IncidentDraft.Action) throws {
        let body = #"""
            {"webhookEvent": "jira:issue_updated", \#(changelog),
             "issue": {"key": "OPS-1", "fields": {"summary": "s", "status": \#(status)}}}
            """#
        let drafts = try DecoderFixtures.body(.jira, body)
        #expect(drafts.map(\.action) == [action])
    }

    @Test func deletedIssueResolvesAndOtherEventsAreIgnored() throws {
        let deleted = try DecoderFixtures.body(
            .jira, #"{"webhookEvent": "jira:issue_deleted", "issue": {"key": "OPS-2", "fields": {"summary": "s"}}}"#)
        #expect(deleted.map(\.action) == [.resolve])
        #expect(deleted.first?.dedupKey == "OPS-2")
        let comment = #"{"webhookEvent": "comment_created", "issue": {"key": "OPS-2"}, "comment": {"body": "hi"}}"#
        #expect(try DecoderFixtures.body(.jira, comment).isEmpty)
        #expect(try DecoderFixtures.body(.jira, #"{"webhookEvent": "jira:worklog_updated"}"#).isEmpty)
    }

    @Test(arguments: [
        ("Blocker", Severity.critical), ("Critical", .critical), ("Highest", .critical), ("High", .error),
        ("Major", .error), ("Medium", .warning), ("Low", .info), ("Lowest", .info), ("Minor", .info),
        ("Trivial", .info), ("P2", .error), ("Someday", .unknown),
    ])
    func prioritySeverity(_ name: String, _ severity: Severity) {
        #expect(JiraPayload.severity(name) == severity)
    }

    @Test func atlassianDocumentText() throws {
        let json = #"""
            {"type": "doc", "version": 1, "content": [
              {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Impact"}]},
              {"type": "paragraph", "content": [
                {"type": "text", "text": "line one"}, {"type": "hardBreak"}, {"type": "text", "text": "line two "},
                {"type": "emoji", "attrs": {"shortName": ":fire:", "text": "🔥"}}]},
              {"type": "codeBlock", "content": [{"type": "text", "text": "curl -I /health"}]}]}
            """#
        let text = try AtlassianDocument.text(JSONCursor(JSONValue.parse(Array(json.utf8))))
        #expect(text == "Impact\nline one\nline two 🔥\ncurl -I /health")
    }

    @Test(arguments: [
        (#"{"issue": {"key": "A-1", "fields": {"summary": "s"}}}"#, "$.webhookEvent", "required field is missing"),
        (#"{"webhookEvent": "jira:issue_created"}"#, "$.issue", "required field is missing"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"fields": {"summary": "s"}}}"#,
         "$.issue.key", "required field is missing"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"key": "A-1", "fields": {"summary": " "}}}"#,
         "$.issue.fields.summary", "must not be empty"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"key": "A-1", "fields": {"summary": "s", "description": 42}}}"#,
         "$.issue.fields.description", "expected a string or an Atlassian Document Format object, found a number"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"key": "A-1", "fields": {"summary": "s", "created": "28/07/2020"}}}"#,
         "$.issue.fields.created", "expected a timestamp, found '28/07/2020'"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"key": "A-1", "fields": {"summary": "s", "labels": {}}}}"#,
         "$.issue.fields.labels", "expected an array, found an object"),
        (#"{"webhookEvent": "jira:issue_created", "issue": {"key": "A-1"}}"#, "$.issue.fields", "required field is missing"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.jira, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func jiraPayloadsFromTheSharedDatasets() throws {
        let created = try #require(try DecoderFixtures.sample(.jira, "jira__zulip__issue_created.json").first)
        #expect(created.dedupKey == "BUG-15")
        #expect(created.action == .trigger)
        #expect(created.title == "New bug with hook")
        #expect(created.description == "Fix me please")
        #expect(created.severity == .error, "Major")
        #expect(created.labels["project"] == "BUG")
        #expect(created.labels["status"] == "Open")
        #expect(created.link == "http://lfranchi.com:8080/browse/BUG-15")
        #expect(DecoderFixtures.same(created.occurredAt, "2013-03-27T16:53:58.301Z"))

        let updated = try #require(try DecoderFixtures.sample(.jira, "jira__zulip__issue_updated__priority.json").first)
        #expect(updated.dedupKey == "TEST-1")
        #expect(updated.action == .update)
        #expect(updated.title == "Fix That")
        #expect(updated.labels["changed.priority"] == "Critical->Major")
        #expect(updated.labels["issue_type"] == "New Feature")
        #expect(updated.link == "https://zulipp.atlassian.net/browse/TEST-1")
        #expect(DecoderFixtures.same(updated.occurredAt, "2013-09-06T15:07:19.972Z"), "-0400 offset")
    }
}
