import Foundation
import TriageCore

/// The JSON body a vendor receives: the incident, the decision and how to report back.
///
/// ```json
/// {"message_id": "…", "incident": {"id": "01J…", "title": "…", "severity": "critical", …},
///  "assignment": {"vendor": "acme", "category": "database", "priority": "P1",
///                 "acknowledge_by": "…", "resolve_by": "…", "explanation": ["…"]}}
/// ```
public struct VendorMessage: Codable, Sendable, Equatable {
    public struct IncidentPart: Codable, Sendable, Equatable {
        public var id: String
        public var source: String
        public var externalID: String?
        public var title: String
        public var description: String
        public var severity: String
        public var service: String?
        public var labels: [String: String]
        public var occurredAt: String

        enum CodingKeys: String, CodingKey {
            case id, source, title, description, severity, service, labels
            case externalID = "external_id"
            case occurredAt = "occurred_at"
        }
    }

    public struct AssignmentPart: Codable, Sendable, Equatable {
        public var vendor: String
        public var category: String?
        public var priority: String
        public var acknowledgeBy: String?
        public var resolveBy: String?
        public var explanation: [String]

        enum CodingKeys: String, CodingKey {
            case vendor, category, priority, explanation
            case acknowledgeBy = "acknowledge_by"
            case resolveBy = "resolve_by"
        }
    }

    public var messageID: String
    public var incident: IncidentPart
    public var assignment: AssignmentPart

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case incident, assignment
    }

    public init(messageID: String, incident: Incident, decision: Decision, vendor: String) {
        self.messageID = messageID
        self.incident = IncidentPart(
            id: incident.id.rawValue,
            source: incident.source,
            externalID: incident.externalID,
            title: incident.title,
            description: incident.description,
            severity: incident.severity.rawValue,
            service: incident.service,
            labels: incident.labels,
            occurredAt: incident.occurredAt.rfc3339
        )
        self.assignment = AssignmentPart(
            vendor: vendor,
            category: decision.category,
            priority: decision.priority.rawValue,
            acknowledgeBy: decision.sla?.acknowledgeBy.rfc3339,
            resolveBy: decision.sla?.resolveBy.rfc3339,
            explanation: decision.explanation
        )
    }

    /// Stable JSON (sorted keys), so the same message always has the same bytes and signature.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
