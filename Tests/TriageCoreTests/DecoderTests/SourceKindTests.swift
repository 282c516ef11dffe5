import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Source kinds and lenient timestamps")
struct SourceKindTests {
    @Test func rawValuesAreTheConfigurationNames() {
        #expect(SourceKind.allCases.map(\.rawValue) == [
            "generic", "alertmanager", "grafana", "pagerduty-events", "pagerduty-webhook", "opsgenie", "jira", "github",
            "servicenow", "zendesk",
        ])
        #expect(SourceKind(rawValue: "pagerduty-events") == .pagerdutyEvents)
        #expect(SourceKind(rawValue: "pagerduty-webhook") == .pagerdutyWebhook)
        #expect(SourceKind(rawValue: "pagerduty") == nil)
    }

    /// Every kind dispatches to its own decoder: each fixture decodes as its kind and is refused
    /// (or ignored) by a kind it is not written for.
    @Test(arguments: [
        (SourceKind.grafana, "grafana/legacy-alerting.json", "rule-42"),
        (.pagerdutyEvents, "pagerduty-events/trigger.json", "srv01/HTTP-5xx"),
        (.pagerdutyWebhook, "pagerduty-webhook/triggered.json", "Q2KR5NRT3VX1AB"),
        (.opsgenie, "opsgenie/create.json", "orders-db-replication-lag"),
        (.jira, "jira/issue-created.json", "OPS-481"),
        (.github, "github/opened.json", "acme/storefront#1347"),
        (.servicenow, "servicenow/record.json", "INC0010042"),
        (.zendesk, "zendesk/ticket.json", "zendesk-4821"),
        (.alertmanager, "alertmanager-firing.json", "7c1f0d3a9be45e21"),
        (.generic, "generic-login.json", "expenses-login-2026-11-29"),
    ])
    func dispatch(_ kind: SourceKind, _ fixture: String, _ dedupKey: String) throws {
        #expect(try DecoderFixtures.fixture(kind, fixture).first?.dedupKey == dedupKey)
        // Grafana's unified format is Alertmanager's webhook with extra fields, so those two may agree.
        let compatible: Set<SourceKind> = [.alertmanager, .grafana]
        for other in SourceKind.allCases where other != kind && !(compatible.contains(kind) && compatible.contains(other)) {
            let drafts = try? DecoderFixtures.fixture(other, fixture)
            #expect(drafts?.first?.dedupKey != dedupKey, "\(other) decoded \(fixture) like \(kind)")
        }
    }

    @Test(arguments: [
        ("2020-07-28T14:53:58.232+0000", "2020-07-28T14:53:58.232Z"),
        ("2013-09-06T11:07:19.972-0400", "2013-09-06T15:07:19.972Z"),
        ("2016-12-14 02:46:44", "2016-12-14T02:46:44.000Z"),
        ("2016-12-14T02:46:44.5", "2016-12-14T02:46:44.500Z"),
        ("2022-08-08T08:14:25Z", "2022-08-08T08:14:25.000Z"),
        ("2022-08-08T10:14:25+02:00", "2022-08-08T08:14:25.000Z"),
        ("1502709956288", "2017-08-14T11:25:56.288Z"),
        ("1502709956", "2017-08-14T11:25:56.000Z"),
        ("1420452224764002246", "2015-01-05T10:03:44.764Z"),
    ])
    func lenientTimestamps(_ text: String, _ expected: String) {
        let date = SourceTimestamp.parse(text)
        #expect(DecoderFixtures.same(date, expected), "\(text) read as \(date.map(RFC3339.format) ?? "nil")")
    }

    @Test(arguments: ["2016-12-14", "yesterday", "2016-12-14 02:46:44 PST", "2016-12-14T02:46:44+01", "", "nan"])
    func unreadableTimestamps(_ text: String) {
        #expect(SourceTimestamp.parse(text) == nil)
    }

    @Test func timestampCursorReadsNumbersAndSkipsGoZeroTime() throws {
        let json = #"{"ms": 1502709956288, "zero": "0001-01-01T00:00:00Z", "flag": false}"#
        let root = JSONCursor(try JSONValue.parse(Array(json.utf8)))
        #expect(DecoderFixtures.same(try root["ms"].optionalTimestamp(), "2017-08-14T11:25:56.288Z"))
        #expect(try root["zero"].optionalTimestamp() == nil)
        #expect(try root["absent"].optionalTimestamp() == nil)
        #expect(throws: PayloadError(path: "$.flag", message: "expected a timestamp, found true or false")) {
            try root["flag"].optionalTimestamp()
        }
    }
}
