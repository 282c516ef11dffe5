import Foundation
import Testing
import TriageTesting

@testable import TriageCore

struct PayloadDecodingTests {
    static let now = Date(timeIntervalSince1970: 1_795_946_400)

    @Test func alertmanagerFixtureGivesOneDraftPerAlert() throws {
        let drafts = try SourceKind.alertmanager.drafts(
            from: Fixtures.bytes("payloads/alertmanager-firing.json"), source: "am", now: Self.now)
        #expect(drafts.count == 1)
        let draft = try #require(drafts.first)
        #expect(draft.source == "am")
        #expect(draft.dedupKey == "7c1f0d3a9be45e21")
        #expect(draft.title == "Postgres replication lag above 30s on pg-billing-2")
        #expect(draft.severity == .critical)
        #expect(draft.service == "billing-db")
        #expect(draft.labels["team"] == "billing")
        #expect(!draft.resolved)
        #expect(draft.occurredAt.map { RFC3339.format($0) } == "2026-11-29T05:58:12.123Z")
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func alertmanagerPayloadsFromTheSharedDatasets() throws {
        let datasets = try #require(Fixtures.sharedDatasets)
        let firing = try Array(Data(contentsOf: datasets.appendingPathComponent("payloads/alertmanager__zulip__alert.json")))
        let drafts = try SourceKind.alertmanager.drafts(from: firing, source: "alertmanager", now: Self.now)
        #expect(drafts.map(\.dedupKey) == ["a1bc48475b20e73d", "c2ea85182f28cbd9"])
        #expect(drafts.allSatisfy { $0.title == "High CPU core temperature" && $0.severity == .critical })
        let resolved = try Array(
            Data(contentsOf: datasets.appendingPathComponent("payloads/alertmanager__zulip__single_alert_resolved.json")))
        let resolvedDrafts = try SourceKind.alertmanager.drafts(from: resolved, source: "alertmanager", now: Self.now)
        #expect(resolvedDrafts.count == 1)
        #expect(resolvedDrafts.allSatisfy { $0.resolved })
    }

    @Test(arguments: [
        (#"{"alerts": []}"#, "$.alerts", "must not be empty"),
        (#"{"version": "3", "alerts": [{"labels": {"alertname": "x"}}]}"#, "$.version", "not supported"),
        (#"{"alerts": [{"labels": {"alertname": "x"}}, {"labels": {}}]}"#, "$.alerts[1]", "neither"),
        (#"{"alerts": [{"labels": "oops"}]}"#, "$.alerts[0].labels", "expected an object"),
        (#"{"alerts": [{"labels": {"alertname": "x"}, "startsAt": "soon"}]}"#, "$.alerts[0].startsAt", "RFC 3339"),
        (#"{"status": "firing"}"#, "$.alerts", "required field is missing"),
        ("not json", "$", "not valid JSON"),
    ])
    func alertmanagerErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = #expect(throws: PayloadError.self) {
            _ = try SourceKind.alertmanager.drafts(from: Array(body.utf8), source: "am", now: Self.now)
        }
        #expect(error?.path == path)
        #expect(error?.message.contains(message) == true, "message was: \(error?.message ?? "-")")
    }

    @Test func genericPayloadMapsEveryDocumentedField() throws {
        let drafts = try SourceKind.generic.drafts(
            from: Fixtures.bytes("payloads/generic-login.json"), source: "generic", now: Self.now)
        let draft = try #require(drafts.first)
        #expect(draft.title == "Users locked out of the expense portal")
        #expect(draft.severity == .error)
        #expect(draft.service == "expenses")
        #expect(draft.dedupKey == "expenses-login-2026-11-29")
        #expect(draft.labels == ["team": "finance-apps"])
        #expect(draft.occurredAt == nil)
    }

    @Test func genericDedupKeyDefaultsToExternalIdThenTitle() throws {
        let withID = try SourceKind.generic.drafts(
            from: Array(#"{"title": "t", "external_id": "INC-1"}"#.utf8), source: "g", now: Self.now)
        #expect(withID[0].dedupKey == "INC-1")
        let bare = try SourceKind.generic.drafts(from: Array(#"{"title": "  t  "}"#.utf8), source: "g", now: Self.now)
        #expect(bare[0].dedupKey == "t")
        #expect(bare[0].title == "t")
    }

    @Test(arguments: [
        (#"{"description": "x"}"#, "$.title"),
        (#"{"title": "   "}"#, "$.title"),
        (#"{"title": "t", "status": "maybe"}"#, "$.status"),
        (#"{"title": "t", "occurred_at": "tuesday"}"#, "$.occurred_at"),
        (#"{"title": "t", "labels": ["team"]}"#, "$.labels"),
        (#"[1, 2]"#, "$"),
    ])
    func genericErrorsNameTheField(_ body: String, _ path: String) {
        let error = #expect(throws: PayloadError.self) {
            _ = try SourceKind.generic.drafts(from: Array(body.utf8), source: "g", now: Self.now)
        }
        #expect(error?.path == path)
    }

    @Test(arguments: [
        ("critical", Severity.critical), ("P1", .critical), ("high", .error), ("warn", .warning), ("info", .info),
        ("whatever", .unknown),
    ])
    func severityWords(_ word: String, _ expected: Severity) {
        #expect(Severity(parsing: word) == expected)
    }
}
