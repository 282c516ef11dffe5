/// The conditions of a rule. Every condition given must hold; an empty set matches everything.
public struct RuleConditions: Sendable, Equatable, Codable {
    /// Source names, any of which matches.
    public var sources: [String]
    /// Severities, any of which matches.
    public var severities: [Severity]
    /// Services, any of which matches (case-insensitive).
    public var services: [String]
    /// Label conditions, all of which must hold.
    public var labels: [String: LabelCondition]
    /// Words or phrases, any of which must appear in title or description (case-insensitive).
    public var textContains: [String]

    public init(
        sources: [String] = [],
        severities: [Severity] = [],
        services: [String] = [],
        labels: [String: LabelCondition] = [:],
        textContains: [String] = []
    ) {
        self.sources = sources
        self.severities = severities
        self.services = services
        self.labels = labels
        self.textContains = textContains
    }
}

/// A condition on one label's value.
public enum LabelCondition: Sendable, Equatable, Codable {
    /// The label is present, whatever its value (`"*"` in YAML).
    case present
    /// The label equals one of these values.
    case oneOf([String])

    func describe() -> String {
        switch self {
        case .present: "present"
        case .oneOf(let values): values.count == 1 ? "'\(values[0])'" : "one of \(values)"
        }
    }
}
