import Foundation
import Mustache
import TriageCore

/// Turns an incident and its decision into the body a vendor expects: triage's JSON, a Jira
/// "create issue", a ServiceNow "create incident", a Slack message, or a user's Mustache template
/// (rendered with JSON escaping, then checked to be JSON).
public struct PayloadRenderer: Sendable {
    let templates: [String: MustacheTemplate]

    /// Built-in formats only.
    public static let standard = PayloadRenderer(compiled: [:])

    init(compiled: [String: MustacheTemplate]) {
        self.templates = compiled
    }

    /// - Parameter templates: Template sources by name (as `rules/templates/<name>.mustache` holds them).
    /// - Throws: The first template that does not parse, with its name and the parser's reason.
    public init(templates: [String: String]) throws(RenderError) {
        MustacheContentTypes.register(JSONEscaping(), named: "JSON")
        var compiled: [String: MustacheTemplate] = [:]
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                compiled[name] = try MustacheTemplate(string: "{{% CONTENT_TYPE: JSON}}" + text)
            } catch {
                throw RenderError(description: "template '\(name)': \(error)")
            }
        }
        self.templates = compiled
    }

    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A dispatch body and the redaction rules that fired on what it carries.
    public struct Rendered: Sendable, Equatable {
        /// The bytes posted to the vendor.
        public var body: [UInt8]
        /// `rule:count` per redaction rule that fired (never the values); `nil` when the vendor
        /// has neither a redaction profile nor a field allow-list.
        public var redactions: [String]?
    }

    /// The body `vendor` receives for `incident` (see ``render(messageID:incident:decision:vendor:)``).
    public func body(messageID: String, incident: Incident, decision: Decision, vendor: Vendor) throws -> [UInt8] {
        try render(messageID: messageID, incident: incident, decision: decision, vendor: vendor).body
    }

    /// The body `vendor` receives, built from the incident as the vendor may see it: its field
    /// allow-list and redaction profile are applied to the incident and the explanation first, so
    /// no format or template can put a raw value back. The stored incident is not changed.
    public func render(messageID: String, incident raw: Incident, decision original: Decision, vendor: Vendor) throws -> Rendered {
        let redaction = OutboundRedaction(vendor: vendor)
        let applied = redaction.apply(to: raw, explanation: original.explanation)
        var decision = original
        decision.explanation = applied.explanation
        let body = try formatted(
            messageID: messageID, incident: applied.incident, decision: decision, vendor: vendor,
            generic: VendorMessage(messageID: messageID, applied: applied, decision: decision, vendor: vendor.name))
        return Rendered(body: body, redactions: redaction.isActive ? applied.summary : nil)
    }

    func formatted(
        messageID: String, incident: Incident, decision: Decision, vendor: Vendor, generic: VendorMessage
    ) throws -> [UInt8] {
        switch vendor.payloadFormat {
        case .generic:
            return try generic.encoded()
        case .jira(let project, let issueType):
            return try Self.json([
                "fields": [
                    "project": ["key": project], "issuetype": ["name": issueType],
                    "summary": "[\(decision.priority.rawValue)] \(incident.title)",
                    "description": Self.text(incident, decision, messageID),
                    "priority": ["name": Self.jiraPriority(decision.priority)],
                    "labels": ["triage", decision.category ?? "unclassified"].map { $0.replacingOccurrences(of: " ", with: "-") },
                ]
            ])
        case .servicenow(let group):
            var record: [String: Any] = [
                "short_description": incident.title, "description": Self.text(incident, decision, messageID),
                "impact": Self.level(decision.priority), "urgency": Self.level(decision.priority),
                "correlation_id": messageID, "category": decision.category ?? "",
            ]
            if let group { record["assignment_group"] = group }
            return try Self.json(record)
        case .slack:
            let text = "*[\(decision.priority.rawValue)] \(incident.title)*\n\(Self.text(incident, decision, messageID))"
            return try Self.json(["text": text, "blocks": [["type": "section", "text": ["type": "mrkdwn", "text": text]]]])
        case .template(let name):
            guard let template = templates[name] else { throw RenderError(description: "no template '\(name)'") }
            let rendered = template.render(Self.context(generic, decision: decision))
            guard (try? JSONValue.parse(Array(rendered.utf8))) != nil else {
                throw RenderError(description: "template '\(name)' did not render JSON")
            }
            return Array(rendered.utf8)
        }
    }

    /// The body posted back to the ticketing system the incident came from; with `vendor`, built
    /// from the incident as that vendor may see it (its allow-list and redaction profile).
    public func writeBackBody(
        messageID: String, incident raw: Incident, decision original: Decision, writeBack: WriteBack, vendor: Vendor? = nil
    ) throws -> [UInt8] {
        let applied = vendor.map { OutboundRedaction(vendor: $0).apply(to: raw, explanation: original.explanation) }
        let incident = applied?.incident ?? raw
        var decision = original
        if let applied { decision.explanation = applied.explanation }
        let note = WriteBack.note(incident: incident, decision: decision)
        switch writeBack.format {
        case .jiraComment, .githubComment:
            return try Self.json(["body": note])
        case .servicenowWorkNote:
            return try Self.json(["work_notes": note])
        case .template(let name):
            guard let template = templates[name] else { throw RenderError(description: "no template '\(name)'") }
            let generic = applied.map {
                VendorMessage(messageID: messageID, applied: $0, decision: decision, vendor: decision.vendor ?? "")
            } ?? VendorMessage(messageID: messageID, incident: incident, decision: decision, vendor: decision.vendor ?? "")
            var context = Self.context(generic, decision: decision)
            context["note"] = note
            let rendered = template.render(context)
            guard (try? JSONValue.parse(Array(rendered.utf8))) != nil else {
                throw RenderError(description: "template '\(name)' did not render JSON")
            }
            return Array(rendered.utf8)
        }
    }

    /// What templates see: the generic message's fields, flattened for Mustache.
    static func context(_ message: VendorMessage, decision: Decision) -> [String: Any] {
        [
            "message_id": message.messageID,
            "incident": [
                "id": message.incident.id, "source": message.incident.source, "external_id": message.incident.externalID ?? "",
                "title": message.incident.title, "description": message.incident.description,
                "severity": message.incident.severity, "service": message.incident.service ?? "",
                "labels": message.incident.labels, "occurred_at": message.incident.occurredAt,
            ] as [String: Any],
            "assignment": [
                "vendor": message.assignment.vendor, "category": message.assignment.category ?? "",
                "priority": message.assignment.priority, "acknowledge_by": message.assignment.acknowledgeBy ?? "",
                "resolve_by": message.assignment.resolveBy ?? "", "explanation": message.assignment.explanation,
            ] as [String: Any],
        ]
    }

    static func text(_ incident: Incident, _ decision: Decision, _ messageID: String) -> String {
        var lines = [incident.description, "", "Source: \(incident.source)", "Incident: \(incident.id.rawValue) (message \(messageID))"]
        if let category = decision.category { lines.append("Category: \(category)") }
        if let sla = decision.sla {
            lines.append("Acknowledge by \(RFC3339.format(sla.acknowledgeBy)), resolve by \(RFC3339.format(sla.resolveBy))")
        }
        return lines.joined(separator: "\n")
    }

    static func jiraPriority(_ priority: Priority) -> String {
        switch priority {
        case .p1: "Highest"
        case .p2: "High"
        case .p3: "Medium"
        case .p4: "Low"
        case .p5: "Lowest"
        }
    }

    /// ServiceNow's 1 (high) … 3 (low).
    static func level(_ priority: Priority) -> String {
        switch priority {
        case .p1, .p2: "1"
        case .p3: "2"
        case .p4, .p5: "3"
        }
    }

    static func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}

/// Escapes template values for the inside of a JSON string.
struct JSONEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
