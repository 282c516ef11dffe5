import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("GitHub issues payloads")
struct GitHubPayloadTests {
    @Test func openedIssueMapsItsFields() throws {
        let drafts = try DecoderFixtures.fixture(.github, "github/opened.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.action == .trigger)
        #expect(draft.dedupKey == "acme/storefront#1347")
        #expect(draft.externalID == "acme/storefront#1347")
        #expect(draft.title == "Search returns no results after index rebuild")
        #expect(draft.description == "Since the nightly index rebuild, every search on /products returns an empty list.")
        #expect(draft.severity == .error, "from 'severity: high' and 'P2'")
        #expect(draft.service == "storefront")
        #expect(draft.labels["label:bug"] == "true")
        #expect(draft.labels["label:severity: high"] == "true")
        #expect(draft.labels["labels"] == "bug,severity: high,P2")
        #expect(draft.labels["repository"] == "acme/storefront")
        #expect(draft.labels["author"] == "mkowalski")
        #expect(draft.labels["assignee"] == "lchen")
        #expect(draft.labels["milestone"] == "2026.12")
        #expect(draft.link == "https://github.com/acme/storefront/issues/1347")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T09:12:45Z"))
    }

    @Test func closedResolvesTheOpenedIssue() throws {
        let opened = try DecoderFixtures.fixture(.github, "github/opened.json")
        let closed = try #require(try DecoderFixtures.fixture(.github, "github/closed.json").first)
        #expect(closed.action == .resolve)
        #expect(closed.dedupKey == opened.first?.dedupKey)
        #expect(closed.description == "", "body is null")
        #expect(closed.labels["assignee"] == nil)
        #expect(closed.labels["state"] == "closed")
    }

    @Test func bodiesWithoutAnIssueEventAreIgnored() throws {
        #expect(try DecoderFixtures.fixture(.github, "github/ping.json").isEmpty)
        let comment = #"""
            {"action": "created", "issue": {"number": 1, "title": "t"}, "comment": {"body": "+1"},
             "repository": {"full_name": "a/b"}}
            """#
        #expect(try DecoderFixtures.body(.github, comment).isEmpty)
        #expect(try DecoderFixtures.body(.github, #"{"ref": "refs/heads/main", "repository": {"full_name": "a/b"}}"#).isEmpty)
    }

    @Test(arguments: [
        ("opened", IncidentDraft.Action.trigger), ("reopened", .trigger), ("closed", .resolve), ("deleted", .resolve),
        ("edited", .update), ("labeled", .update), ("unlabeled", .update), ("assigned", .update),
        ("milestoned", .update),
    ])
    func actions(_ action: String, _ expected: IncidentDraft.Action) throws {
        let body = #"{"action": "\#(action)", "issue": {"number": 7, "title": "t"}, "repository": {"full_name": "a/b", "name": "b"}}"#
        let drafts = try DecoderFixtures.body(.github, body)
        #expect(drafts.map(\.action) == [expected])
        #expect(drafts.first?.dedupKey == "a/b#7")
    }

    @Test(arguments: [
        ("severity:critical", Severity.critical), ("Severity: High", .error), ("priority: high", .error),
        ("sev1", .critical), ("sev-2", .error), ("SEV3", .warning), ("P1", .critical), ("p4", .info),
        ("prio/low", .info), ("severity = warning", .warning), ("priority:1", .critical),
        ("bug", .unknown), ("critical", .unknown), ("high-priority", .unknown), ("severity:someday", .unknown),
    ])
    func severityFromALabel(_ label: String, _ severity: Severity) {
        #expect(GitHubPayload.severity(label: label) == severity)
    }

    @Test func theMostSevereLabelWins() {
        #expect(GitHubPayload.severity(labels: ["P3", "bug", "sev1"]) == .critical)
        #expect(GitHubPayload.severity(labels: ["bug", "documentation"]) == .unknown)
    }

    @Test(arguments: [
        (#"{"action": "opened", "issue": {"number": 1, "title": "t"}}"#, "$.repository.full_name", "required field is missing"),
        (#"{"action": "opened", "issue": {"title": "t"}, "repository": {"full_name": "a/b"}}"#,
         "$.issue.number", "required field is missing"),
        (#"{"action": "opened", "issue": {"number": 1}, "repository": {"full_name": "a/b"}}"#,
         "$.issue.title", "required field is missing"),
        (#"{"action": "opened", "issue": "oops"}"#, "$.issue", "expected an object, found a string"),
        (#"{"action": "opened", "issue": {"number": 1, "title": "t", "labels": 5}, "repository": {"full_name": "a/b"}}"#,
         "$.issue.labels", "expected an array, found a number"),
        (#"{"action": {"name": "opened"}, "issue": {"number": 1, "title": "t"}, "repository": {"full_name": "a/b"}}"#,
         "$.action", "expected a string, found an object"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.github, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func gitHubPayloadsFromTheSharedDatasets() throws {
        let drafts = try DecoderFixtures.sample(.github, "github__zulip__issues__opened.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.action == .trigger)
        #expect(draft.dedupKey == "DhruvShetty22/zulip-test#33")
        #expect(draft.title == "This is a very long Issue title to test topic truncation when renaming.")
        #expect(draft.description == "It looks like you accidentally spelled 'commit' with two 't's.")
        #expect(draft.service == "zulip-test")
        #expect(draft.severity == .unknown, "the issue has no labels")
        #expect(draft.labels["author"] == "DhruvShetty22")
        #expect(draft.link == "https://github.com/DhruvShetty22/zulip-test/issues/33")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-01-23T17:01:17Z"))
    }
}
