import Foundation
import TriageCore

/// The JSON an escalation step sends to a notification endpoint or the vendor.
///
/// ```json
/// {"type": "sla.escalation", "message_id": "…", "step": "resolve 75%", "target": "resolve",
///  "vendor": "acme-dba", "priority": "P2", "budget": "4h", "terms": "contract 'acme-dba'",
///  "deadline": "2026-…Z", "due_at": "2026-…Z", "late": false,
///  "incident": {"id": "…", "title": "…", "source": "jira", "external_id": "OPS-7", "severity": "error"}}
/// ```
struct EscalationNotice: Encodable {
    struct IncidentPart: Encodable {
        var id: String
        var title: String
        var source: String
        var externalID: String?
        var severity: String

        enum CodingKeys: String, CodingKey {
            case id, title, source, severity
            case externalID = "external_id"
        }
    }

    var type = "sla.escalation"
    var messageID: String
    var incident: IncidentPart
    var vendor: String
    var priority: String
    var target: String
    var step: String
    var budget: String
    var terms: String
    var deadline: String?
    var dueAt: String
    var late: Bool

    enum CodingKeys: String, CodingKey {
        case type, incident, vendor, priority, target, step, budget, terms, deadline, late
        case messageID = "message_id"
        case dueAt = "due_at"
    }

    init(
        messageID: String, incident: Incident?, incidentID: IncidentID, vendor: String, priority: Priority,
        target: SLATimer.Kind, step: String, budget: String, terms: String, deadline: Date?, dueAt: Date, late: Bool
    ) {
        self.messageID = messageID
        self.incident = IncidentPart(
            id: incidentID.rawValue, title: incident?.title ?? "", source: incident?.source ?? "",
            externalID: incident?.externalID, severity: incident?.severity.rawValue ?? "unknown")
        self.vendor = vendor
        self.priority = priority.rawValue
        self.target = target.rawValue
        self.step = step
        self.budget = budget
        self.terms = terms
        self.deadline = deadline.map(RFC3339.format)
        self.dueAt = RFC3339.format(dueAt)
        self.late = late
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("{}".utf8)
    }
}
