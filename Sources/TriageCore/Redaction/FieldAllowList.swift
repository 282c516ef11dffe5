/// Which incident fields a vendor may receive (vendors.yaml `fields:` of a vendor); a vendor
/// without a list receives them all.
///
/// ```yaml
/// vendors:
///   - name: acme
///     fields: [title, description, priority, service, labels.env]
/// ```
///
/// Names: `title`, `description`, `severity`, `service`, `source`, `external_id`, `link`,
/// `occurred_at`, `labels` (every label), `labels.NAME` (one label) and `explanation` (triage's
/// reasons, which can quote the incident). The incident and message ids, the vendor, priority,
/// category and SLA deadlines are always sent (the vendor cannot work the incident or report back
/// without them); listing them is allowed and changes nothing. A field not allowed is sent empty
/// (text), left out (optional fields, labels) and renders empty in templates.
public struct FieldAllowList: Sendable, Equatable {
    /// Why a field name cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The unknown name and the known ones.
        public var description: String
    }

    /// Fields a list may name (besides `labels.NAME`).
    public static let fields = [
        "title", "description", "severity", "service", "source", "external_id", "link", "occurred_at", "labels", "explanation",
    ]
    /// Fields every vendor receives whatever its list says.
    public static let alwaysSent = ["id", "message_id", "vendor", "priority", "category", "acknowledge_by", "resolve_by"]

    /// The names as written.
    public let names: [String]
    private let allowed: Set<String>

    /// - Throws: ``Problem`` naming the first unknown field and the known ones.
    public init(_ names: [String]) throws(Problem) {
        for name in names where !Self.alwaysSent.contains(name) {
            if let problem = Self.problem(with: name) { throw Problem(description: problem) }
        }
        self.names = names
        self.allowed = Set(names)
    }

    /// Whether `field` (a name from ``fields``, or `labels.NAME`) may be sent.
    public func allows(_ field: String) -> Bool {
        if allowed.contains(field) || Self.alwaysSent.contains(field) { return true }
        return field.hasPrefix("labels.") && allowed.contains("labels")
    }

    /// What is wrong with `field` as a field name (for `fields:` and `drop_fields:`), or `nil`.
    public static func problem(with field: String) -> String? {
        if fields.contains(field) { return nil }
        if field.hasPrefix("labels."), field.count > "labels.".count { return nil }
        if alwaysSent.contains(field) { return "'\(field)' is always sent and cannot be left out" }
        return "unknown field '\(field)' (known: \(fields.joined(separator: ", ")), labels.NAME)"
    }

    public static func == (lhs: FieldAllowList, rhs: FieldAllowList) -> Bool { lhs.names == rhs.names }
}
