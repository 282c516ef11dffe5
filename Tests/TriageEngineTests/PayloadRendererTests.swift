import Foundation
import Testing
import TriageCore
import TriageEngine

/// Every payload format renders valid JSON with the fields its receiver needs.
struct PayloadRendererTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func sample() -> (Incident, Decision) {
        var generator = SplitMix64(seed: 3)
        let incident = Incident(
            id: IncidentID(now: now, using: &generator),
            draft: IncidentDraft(
                source: "alertmanager", title: "Disk \"full\" on db-7", description: "97% used\nsince 10:00",
                severity: .critical, service: "billing-db"),
            receivedAt: now, rawPayloadID: 1)
        let decision = Decision(
            incidentID: incident.id, decidedAt: now, category: "storage", priority: .p1, vendor: "v", abstained: false,
            matchedRules: [], sla: SLAPlan(priority: .p1, acknowledgeBy: now + 900, resolveBy: now + 14_400),
            explanation: ["rule 'disk' matched", "say \"hi\""])
        return (incident, decision)
    }

    func render(_ format: PayloadFormat, templates: [String: String] = [:]) throws -> [String: Any] {
        let (incident, decision) = sample()
        var vendor = Vendor(name: "v", endpoint: "http://127.0.0.1:9/v")
        vendor.payloadFormat = format
        let bytes = try PayloadRenderer(templates: templates).body(
            messageID: "m-1", incident: incident, decision: decision, vendor: vendor)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func builtInFormats() throws {
        let generic = try render(.generic)
        #expect(generic["message_id"] as? String == "m-1")
        let jira = try #require(try render(.jira(project: "OPS", issueType: "Incident"))["fields"] as? [String: Any])
        #expect((jira["project"] as? [String: String])?["key"] == "OPS")
        #expect(jira["summary"] as? String == "[P1] Disk \"full\" on db-7")
        #expect((jira["priority"] as? [String: String])?["name"] == "Highest")
        let servicenow = try render(.servicenow(assignmentGroup: "Storage"))
        #expect(servicenow["assignment_group"] as? String == "Storage")
        #expect(servicenow["impact"] as? String == "1")
        #expect(servicenow["correlation_id"] as? String == "m-1")
        let slack = try render(.slack)
        #expect((slack["text"] as? String)?.hasPrefix("*[P1] Disk \"full\" on db-7*") == true)
    }

    @Test func templatesEscapeForJSON() throws {
        let template = #"{"title": "{{incident.title}}", "body": "{{incident.description}}", "notes": [{{#assignment.explanation}}"{{.}}",{{/assignment.explanation}}"x"]}"#
        let rendered = try render(.template("t"), templates: ["t": template])
        #expect(rendered["title"] as? String == "Disk \"full\" on db-7")
        #expect(rendered["body"] as? String == "97% used\nsince 10:00")
        #expect(rendered["notes"] as? [String] == ["rule 'disk' matched", "say \"hi\"", "x"])
    }

    @Test func brokenTemplatesAreRefusedWithTheirName() throws {
        #expect(throws: PayloadRenderer.RenderError.self) { _ = try PayloadRenderer(templates: ["bad": "{{#open}} never closed"]) }
        let error = #expect(throws: PayloadRenderer.RenderError.self) {
            _ = try render(.template("text"), templates: ["text": "not json {{incident.title}}"])
        }
        #expect(error?.description == "template 'text' did not render JSON")
    }
}
