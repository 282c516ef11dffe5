/// What one vendor may see of an incident: its field allow-list, its profile's `drop_fields` and
/// its redaction rules applied to the incident's fields and triage's explanation, before any
/// payload or template is built from them. The stored incident is not touched.
public struct OutboundRedaction: Sendable {
    /// The incident as the vendor may see it.
    public struct Applied: Sendable, Equatable {
        /// Text fields redacted; fields left out are empty (`title`, `description`, `source`),
        /// `nil` (`service`, `external_id`, `link`) or missing (labels).
        public var incident: Incident
        /// Triage's reasons, redacted (lines where a `drop` rule fired are left out); empty when
        /// `explanation` is not allowed.
        public var explanation: [String]
        /// How often each rule fired, by name (never the values).
        public var fired: [String: Int]
        /// Fields left out, for the fields the incident type cannot leave empty itself
        /// (`severity`, `occurred_at`): payloads send them empty.
        public var removed: Set<String>

        /// `name:count` per rule that fired, sorted by name.
        public var summary: [String] { fired.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" } }
    }

    /// The rules and `drop_fields` applied, if any.
    public let profile: RedactionProfile?
    /// The fields allowed, if the vendor has a list.
    public let fields: FieldAllowList?
    let redactor: Redactor?

    /// - Parameters:
    ///   - profile: The rules (`nil`: nothing is redacted, only the allow-list applies).
    ///   - fields: The allow-list (`nil`: every field).
    ///   - keyedHash: The keyed hash for mode `hash` (see ``Redactor``).
    public init(profile: RedactionProfile?, fields: FieldAllowList?, keyedHash: @escaping @Sendable ([UInt8]) -> String) {
        self.profile = profile
        self.fields = fields
        self.redactor = profile.map { Redactor(rules: $0.rules, keyedHash: keyedHash) }
    }

    /// Whether anything is applied at all.
    public var isActive: Bool { profile != nil || fields != nil }

    /// Whether `field` leaves: allowed by the list and not in the profile's `drop_fields`.
    public func sends(_ field: String) -> Bool {
        if let profile, profile.dropFields.contains(field) { return false }
        if field.hasPrefix("labels."), let profile, profile.dropFields.contains("labels") { return false }
        return fields?.allows(field) ?? true
    }

    /// The incident and explanation as the vendor may see them.
    public func apply(to incident: Incident, explanation: [String]) -> Applied {
        var out = Applied(incident: incident, explanation: explanation, fired: [:], removed: [])
        guard isActive else { return out }
        /// The redacted text of `field`, or `nil` when it must be left out.
        func pass(_ field: String, _ text: String) -> String? {
            guard sends(field) else {
                out.removed.insert(field)
                return nil
            }
            guard let redactor, !text.isEmpty else { return text }
            let result = redactor.redact(text)
            out.fired.merge(result.fired, uniquingKeysWith: +)
            if result.dropped {
                out.removed.insert(field)
                return nil
            }
            return result.text
        }
        out.incident.title = pass("title", incident.title) ?? ""
        out.incident.description = pass("description", incident.description) ?? ""
        out.incident.source = pass("source", incident.source) ?? ""
        out.incident.service = incident.service.flatMap { pass("service", $0) }
        out.incident.externalID = incident.externalID.flatMap { pass("external_id", $0) }
        out.incident.link = incident.link.flatMap { pass("link", $0) }
        var labels: [String: String] = [:]
        for (name, value) in incident.labels {
            if let text = pass("labels." + name, value) { labels[name] = text }
        }
        out.incident.labels = labels
        if !sends("severity") { out.removed.insert("severity") }
        if !sends("occurred_at") { out.removed.insert("occurred_at") }
        if sends("explanation") {
            out.explanation = explanation.compactMap { line in
                guard let redactor else { return line }
                let result = redactor.redact(line)
                out.fired.merge(result.fired, uniquingKeysWith: +)
                return result.dropped ? nil : result.text
            }
        } else {
            out.removed.insert("explanation")
            out.explanation = []
        }
        return out
    }
}
