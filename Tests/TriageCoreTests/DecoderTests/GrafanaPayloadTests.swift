import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("Grafana payloads")
struct GrafanaPayloadTests {
    @Test func unifiedFiringGivesOneDraftPerAlert() throws {
        let drafts = try DecoderFixtures.fixture(.grafana, "grafana/unified-firing.json")
        #expect(drafts.count == 2)
        let first = try #require(drafts.first)
        #expect(first.title == "Disk space below 10% on nfs-3")
        #expect(first.dedupKey == "3f2b9c1d7e6a5b40")
        #expect(first.externalID == "3f2b9c1d7e6a5b40")
        #expect(first.action == .trigger)
        #expect(first.severity == .warning)
        #expect(first.labels["team"] == "storage")
        #expect(first.labels["grafana_folder"] == "Storage")
        #expect(first.link == "https://grafana.example.com/d/storage01?orgId=1&viewPanel=4")
        #expect(first.description.hasPrefix("The /export volume on nfs-3 has less than 10% free space.\nValues: [ var='B'"))
        #expect(DecoderFixtures.same(first.occurredAt, "2026-11-28T22:14:00Z"))

        let second = try #require(drafts.last)
        #expect(second.dedupKey == "8d41e07c2a9f3b15")
        #expect(second.description == "Values: B=9.25, C=1")
        #expect(second.link == "https://grafana.example.com/alerting/grafana/c3a1e0f2/view?orgId=1")
    }

    @Test func unifiedResolvedLandsOnTheFiringAlert() throws {
        let firing = try DecoderFixtures.fixture(.grafana, "grafana/unified-firing.json")
        let resolved = try DecoderFixtures.fixture(.grafana, "grafana/unified-resolved.json")
        #expect(resolved.count == 1)
        let draft = try #require(resolved.first)
        #expect(draft.action == .resolve)
        #expect(draft.dedupKey == firing.first?.dedupKey)
        #expect(draft.description == "")
        #expect(draft.link == "https://grafana.example.com/d/storage01?orgId=1")
    }

    @Test func legacyAlertingAndOkShareTheRuleKey() throws {
        let alerting = try #require(try DecoderFixtures.fixture(.grafana, "grafana/legacy-alerting.json").first)
        #expect(alerting.dedupKey == "rule-42")
        #expect(alerting.externalID == "42")
        #expect(alerting.title == "API CPU usage")
        #expect(alerting.action == .trigger)
        #expect(alerting.severity == .critical)
        #expect(alerting.service == "api")
        #expect(alerting.labels["alertname"] == "API CPU usage")
        #expect(alerting.labels["state"] == "alerting")
        #expect(alerting.description == "CPU usage above 90% for 5 minutes.\nValues: api-1.cpu=97.2, api-2.cpu=91")
        #expect(alerting.link == "https://grafana.example.com/d/api/api-overview?tab=alert&editPanel=3&orgId=1")

        let ok = try #require(try DecoderFixtures.fixture(.grafana, "grafana/legacy-ok.json").first)
        #expect(ok.action == .resolve)
        #expect(ok.dedupKey == alerting.dedupKey)
        #expect(ok.title == alerting.title)
    }

    @Test(arguments: [
        ("alerting", IncidentDraft.Action.trigger), ("no_data", .trigger), ("ok", .resolve), ("OK", .resolve),
        ("paused", .update), ("pending", .update),
    ])
    func legacyStates(_ state: String, _ action: IncidentDraft.Action) throws {
        let drafts = try DecoderFixtures.body(.grafana, #"{"ruleName": "Disk", "state": "\#(state)"}"#)
        #expect(drafts.map(\.action) == [action])
        #expect(drafts.first?.dedupKey == "rule-Disk")
    }

    @Test(arguments: [
        (#"{"alerts": {}}"#, "$.alerts", "expected an array, found an object"),
        (#"{"alerts": []}"#, "$.alerts", "must not be empty"),
        (#"{"alerts": [{"labels": {"alertname": "x"}, "valueString": {"A": 1}}]}"#,
         "$.alerts[0].valueString", "expected a string, found an object"),
        (#"{"alerts": [{"labels": {"alertname": "x"}}, {"annotations": {}}]}"#,
         "$.alerts[1]", "has neither annotations.summary nor labels.alertname"),
        (#"{"ruleId": 1, "ruleName": "r", "state": "exploded"}"#,
         "$.state", "expected alerting, ok, no_data, paused or pending, got 'exploded'"),
        (#"{"ruleId": 1, "ruleName": "r"}"#, "$.state", "required field is missing"),
        (#"{"title": "[OK] r", "state": "ok"}"#, "$", "has neither ruleId nor ruleName"),
        (#"{"ruleId": 1, "state": "ok", "tags": ["a"]}"#, "$.tags", "expected an object, found an array"),
        (#"[{"ruleId": 1}]"#, "$", "expected an object, found an array"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.grafana, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func grafanaPayloadsFromTheSharedDatasets() throws {
        let resolved = try DecoderFixtures.sample(.grafana, "grafana__zulip__alert_new_unified_resolved.json")
        #expect(resolved.count == 1)
        #expect(resolved.first?.dedupKey == "57c6d9296de2ad39")
        #expect(resolved.first?.action == .resolve)
        #expect(resolved.first?.title == "Notification test")
        #expect(resolved.first?.description == "Values: foo=10")
        #expect(resolved.first?.link == nil)

        let firing = try DecoderFixtures.sample(.grafana, "grafana__zulip__alert_values_v11_firing.json")
        let alert = try #require(firing.first)
        #expect(firing.count == 1)
        #expect(alert.dedupKey == "e6349a25f5ef0e9e")
        #expect(alert.action == .trigger)
        #expect(alert.title == "High memory usage")
        #expect(alert.labels["grafana_folder"] == "device")
        #expect(alert.description.contains("var='A' labels={instance=node_exporter:9100, job=node} value=2.473545728e+09"))
        #expect(alert.link == "https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2")
        #expect(DecoderFixtures.same(alert.occurredAt, "2024-03-01T02:09:00Z"))

        let legacy = try DecoderFixtures.sample(.grafana, "grafana__zulip__legacy_alert.json")
        #expect(legacy.count == 1)
        #expect(legacy.first?.dedupKey == "rule-0")
        #expect(legacy.first?.title == "Test rule")
        #expect(legacy.first?.action == .trigger)
        #expect(legacy.first?.description.contains("Values: High value=100, Higher Value=200") == true)
        #expect(legacy.first?.link == "http://localhost:3000/")
    }
}
