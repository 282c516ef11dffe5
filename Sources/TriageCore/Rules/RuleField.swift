/// What a rule condition looks at: an incident field, a label, or a field the rules before it
/// have already decided (so a later group can route on the category an earlier one set).
public enum RuleField: Sendable, Hashable, CustomStringConvertible {
    case source
    case severity
    case service
    case title
    case description
    /// Title and description together.
    case text
    case status
    case externalID
    case dedupKey
    case occurrences
    case label(String)
    // Decided by earlier rules.
    case category
    case subcategory
    case priority
    case vendor

    /// The names accepted in `rules.yaml`: `source`, `labels.team`, `category`, …
    public static let names: [String: RuleField] = [
        "source": .source, "severity": .severity, "service": .service, "title": .title,
        "description": .description, "text": .text, "status": .status, "external_id": .externalID,
        "dedup_key": .dedupKey, "occurrences": .occurrences, "category": .category,
        "subcategory": .subcategory, "priority": .priority, "vendor": .vendor,
    ]

    /// Reads `source`, `labels.team` (also `label.team` and `labels["odd name"]`).
    public init?(parsing text: String) {
        for prefix in ["labels.", "label."] where text.hasPrefix(prefix) {
            let name = String(text.dropFirst(prefix.count))
            guard !name.isEmpty else { return nil }
            self = .label(name)
            return
        }
        if text.hasPrefix("labels[\""), text.hasSuffix("\"]") {
            self = .label(String(text.dropFirst(8).dropLast(2)))
            return
        }
        guard let field = Self.names[text] else { return nil }
        self = field
    }

    public var description: String {
        switch self {
        case .label(let name): "labels." + name
        case .source: "source"
        case .severity: "severity"
        case .service: "service"
        case .title: "title"
        case .description: "description"
        case .text: "text"
        case .status: "status"
        case .externalID: "external_id"
        case .dedupKey: "dedup_key"
        case .occurrences: "occurrences"
        case .category: "category"
        case .subcategory: "subcategory"
        case .priority: "priority"
        case .vendor: "vendor"
        }
    }

    /// Whether the value is free text (contains/similar_to apply) rather than a short value.
    public var isText: Bool {
        switch self {
        case .title, .description, .text: true
        default: false
        }
    }

    /// The values this field may take, when it has a closed set (for type checks of literals).
    public var closedValues: [String]? {
        switch self {
        case .severity: Severity.allCases.map(\.rawValue)
        case .priority: Priority.allCases.map(\.rawValue)
        case .status: IncidentStatus.allCases.map(\.rawValue)
        default: nil
        }
    }
}
