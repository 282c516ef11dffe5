import Foundation
import Testing
import TriageTesting

@testable import TriageCore

@Suite("ServiceNow payloads")
struct ServiceNowPayloadTests {
    @Test func bareRecordWithDisplayValues() throws {
        let drafts = try DecoderFixtures.fixture(.servicenow, "servicenow/record.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.dedupKey == "INC0010042")
        #expect(draft.externalID == "INC0010042")
        #expect(draft.title == "VPN gateway drops connections every 10 minutes")
        #expect(draft.description == "Remote staff in Lyon report VPN disconnects since 08:15.")
        #expect(draft.action == .update)
        #expect(draft.severity == .error, "priority 2")
        #expect(draft.service == "Remote Access")
        #expect(draft.labels["assignment_group"] == "Network Operations")
        #expect(draft.labels["assigned_to"] == "Beth Anglin")
        #expect(draft.labels["priority"] == "2")
        #expect(draft.labels["urgency"] == "1")
        #expect(draft.labels["state"] == "2")
        #expect(draft.labels["cmdb_ci"] == "vpn-gw-lyon-01")
        #expect(draft.link == "https://acme.service-now.com/incident.do?sys_id=9d385017c611228701d22104cc95c371")
        #expect(DecoderFixtures.same(draft.occurredAt, "2026-11-29T08:20:11Z"), "the UTC value, not the display value")
    }

    @Test func tableListGivesOneDraftPerRecord() throws {
        let drafts = try DecoderFixtures.fixture(.servicenow, "servicenow/table-list.json")
        #expect(drafts.map(\.dedupKey) == ["INC0010051", "INC0010037"])
        #expect(drafts.map(\.action) == [.update, .resolve])
        #expect(drafts.map(\.severity) == [.critical, .info])
        #expect(drafts.first?.labels["assignment_group"] == "d625dccec0a8016700a222a0f7900d06")
        #expect(drafts.first?.labels["subcategory"] == nil, "empty text is no label")
        #expect(drafts.first?.service == nil, "a reference without a display value names no service")
        #expect(DecoderFixtures.same(drafts.last?.occurredAt, "2026-11-27T14:30:12Z"))
    }

    @Test func resolvedRecordKeepsItsDedupKey() throws {
        let open = #"{"result": {"number": "INC0010099", "short_description": "s", "state": "2"}}"#
        let resolved = #"{"result": {"number": "INC0010099", "short_description": "s", "state": "6"}}"#
        let opened = try DecoderFixtures.body(.servicenow, open)
        let closed = try DecoderFixtures.body(.servicenow, resolved)
        #expect(opened.map(\.action) == [.update])
        #expect(closed.map(\.action) == [.resolve])
        #expect(opened.first?.dedupKey == closed.first?.dedupKey)
        #expect(try DecoderFixtures.body(.servicenow, #"{"result": []}"#).isEmpty)
    }

    @Test(arguments: [
        (#""6""#, IncidentDraft.Action.resolve), (#""7""#, .resolve), (#""8""#, .resolve), (#""Canceled""#, .resolve),
        (#""closed""#, .resolve), (#"{"display_value": "Closed", "value": "7"}"#, .resolve), (#"6"#, .resolve),
        (#""1""#, .update), (#""2""#, .update), (#""In Progress""#, .update), (#"{"display_value": "On Hold", "value": "3"}"#, .update),
    ])
    func states(_ state: String, _ action: IncidentDraft.Action) throws {
        let body = #"{"number": "INC1", "short_description": "s", "state": \#(state)}"#
        #expect(try DecoderFixtures.body(.servicenow, body).map(\.action) == [action])
    }

    @Test(arguments: [
        (#""priority": "1 - Critical""#, Severity.critical), (#""priority": "2 - High""#, .error),
        (#""priority": "3 - Moderate""#, .warning), (#""priority": "4 - Low""#, .info), (#""priority": "5 - Planning""#, .info),
        (#""priority": {"display_value": "1 - Critical", "value": "1"}"#, .critical),
        (#""impact": "2", "urgency": "1""#, .error), (#""impact": "3 - Low", "urgency": "3 - Low""#, .info),
        (#""priority": "Critical""#, .critical), (#""urgency": "1""#, .unknown),
    ])
    func severities(_ fields: String, _ severity: Severity) throws {
        let body = #"{"number": "INC1", "short_description": "s", \#(fields)}"#
        #expect(try DecoderFixtures.body(.servicenow, body).map(\.severity) == [severity])
    }

    @Test func sysIDStandsInForAMissingNumber() throws {
        let draft = try #require(
            try DecoderFixtures.body(.servicenow, #"{"sys_id": "abc123", "short_description": "s"}"#).first)
        #expect(draft.dedupKey == "abc123")
        #expect(draft.link == nil, "no reference link names the instance")
    }

    @Test(arguments: [
        (#"{"short_description": "s"}"#, "$", "has neither number nor sys_id"),
        (#"{"result": [{"number": "INC1"}]}"#, "$.result[0].short_description", "required field is missing"),
        (#"{"result": [5]}"#, "$.result[0]", "expected an object, found a number"),
        (#"{"result": "none"}"#, "$.result", "expected an object, found a string"),
        (#"{"number": ["INC1"], "short_description": "s"}"#, "$.number", "expected a string, found an array"),
        (#"{"number": "INC1", "short_description": "s", "opened_at": "12/14/2016"}"#,
         "$.opened_at", "expected a timestamp, found '12/14/2016'"),
        (#"{"number": "INC1", "short_description": {"display_value": ["x"]}}"#,
         "$.short_description.display_value", "expected a string, found an array"),
    ])
    func shapeErrorsSayWhereAndWhat(_ body: String, _ path: String, _ message: String) {
        let error = DecoderFixtures.error(.servicenow, body)
        #expect(error == PayloadError(path: path, message: message))
    }

    @Test(.enabled(if: Fixtures.sharedDatasets != nil, "../shared/datasets is absent; real payloads not checked"))
    func serviceNowPayloadsFromTheSharedDatasets() throws {
        let drafts = try DecoderFixtures.sample(.servicenow, "servicenow__syndicalt-sn-scripts__incident_table_api_record.json")
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.dedupKey == "INC0000060")
        #expect(draft.title == "Unable to connect to email")
        #expect(draft.action == .resolve, "state 7 is Closed")
        #expect(draft.severity == .warning, "priority 3")
        #expect(draft.labels["assignment_group"] == "287ebd7da9fe198100f92cc8d1d2154e")
        #expect(draft.labels["impact"] == "2")
        #expect(draft.labels["category"] == "inquiry")
        #expect(draft.link == "https://dev112093.service-now.com/incident.do?sys_id=1c741bd70b2322007518478d83673af3")
        #expect(DecoderFixtures.same(draft.occurredAt, "2016-12-12T15:19:57Z"))
    }
}
