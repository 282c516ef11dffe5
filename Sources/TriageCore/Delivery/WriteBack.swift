import FoundationEssentials

/// Posting the assignment back to the ticketing system an incident came from (a Jira comment, a
/// ServiceNow work note, a GitHub comment or a user template), as an outbox message like any other.
///
/// The endpoint is a URL template: `{external_id}` is the ticket's id as the source sent it,
/// `{external_number}` the digits after its last `#` (GitHub issue numbers) and `{label.NAME}`
/// one of the incident's labels. Values are percent-encoded except `/`.
///
/// ```yaml
/// write_back:
///   endpoint: https://jira.example.com/rest/api/2/issue/{external_id}/comment
///   format: jira-comment
///   headers_env: {Authorization: JIRA_WRITE_BACK_AUTH}
/// ```
public struct WriteBack: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        /// `POST {"body": text}` (Jira REST v2 comment).
        case jiraComment
        /// `POST {"body": text}` (GitHub issue comment).
        case githubComment
        /// `PATCH {"work_notes": text}` (ServiceNow Table API).
        case servicenowWorkNote
        /// A user template from `templates/<name>.mustache`, rendered like a vendor template.
        case template(String)

        public var defaultMethod: String {
            if case .servicenowWorkNote = self { return "PATCH" }
            return "POST"
        }
    }

    public var source: String
    public var endpoint: String
    public var method: String
    public var format: Format
    public var target: DeliveryTarget

    public init(source: String, endpoint: String, method: String? = nil, format: Format, target: DeliveryTarget? = nil) {
        self.source = source
        self.endpoint = endpoint
        self.method = method ?? format.defaultMethod
        self.format = format
        self.target = target ?? DeliveryTarget(name: Self.targetName(source))
        self.target.name = Self.targetName(source)
    }

    /// The outbox "vendor" of write-back messages for `source`.
    public static func targetName(_ source: String) -> String { "write-back:\(source)" }

    /// Placeholders a template may use.
    public static let placeholders: Set<String> = ["external_id", "external_number"]

    /// The endpoint with its placeholders filled from `incident`, or a reason it cannot be.
    public func url(for incident: Incident) -> Result<String, WriteBackError> {
        var out = ""
        var rest = Substring(endpoint)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                return .failure(WriteBackError(message: "unclosed '{' in the write-back endpoint"))
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = Self.value(of: name, in: incident), !value.isEmpty else {
                return .failure(WriteBackError(message: "the incident has no \(name) for the write-back endpoint"))
            }
            out += Self.escape(value)
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return .success(out)
    }

    static func value(of placeholder: String, in incident: Incident) -> String? {
        switch placeholder {
        case "external_id": return incident.externalID
        case "external_number":
            guard let id = incident.externalID else { return nil }
            let tail = id.split(separator: "#").last.map(String.init) ?? ""
            return tail.allSatisfy(\.isNumber) ? tail : nil
        default:
            guard placeholder.hasPrefix("label.") else { return nil }
            return incident.labels[String(placeholder.dropFirst("label.".count))]
        }
    }

    /// Percent-encodes everything but unreserved characters and `/`.
    static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// The note posted back: who got the incident, at what priority, by when, and why.
    public static func note(incident: Incident, decision: Decision) -> String {
        var lines = ["triage assigned this incident to \(decision.vendor ?? "nobody") at priority \(decision.priority.rawValue)"
            + (decision.category.map { " (category \($0))" } ?? "") + "."]
        if let sla = decision.sla {
            lines.append("Acknowledge by \(RFC3339.format(sla.acknowledgeBy)), resolve by \(RFC3339.format(sla.resolveBy)).")
        }
        lines.append("triage incident \(incident.id.rawValue).")
        let reasons = decision.explanation.prefix(5)
        if !reasons.isEmpty { lines.append("Why: " + reasons.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }
}

/// Why a write-back could not be queued for an incident.
public struct WriteBackError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
