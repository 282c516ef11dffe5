/// What the matching rules decided, merged: set-fields by the first rule that set them,
/// `raise_priority` to the most urgent asked for, labels and tags accumulated.
public struct RuleOutcome: Sendable, Equatable, Codable {
    public var category: String?
    public var subcategory: String?
    public var impact: ImpactLevel?
    public var urgency: ImpactLevel?
    /// A priority set explicitly by a rule.
    public var priority: Priority?
    /// The most urgent priority any rule raised to.
    public var raisedPriority: Priority?
    public var vendor: String?
    public var vendorPool: [String]?
    public var slaPolicy: String?
    public var labels: [String: String] = [:]
    public var tags: [String] = []
    public var groupingKey: String?
    /// Why the incident is suppressed, when a rule suppressed it.
    public var suppressed: String?

    public init(category: String? = nil, priority: Priority? = nil, vendor: String? = nil) {
        self.category = category
        self.priority = priority
        self.vendor = vendor
    }
}

/// The result of evaluating a rule set: the merged outcome, which rule set each field, and a trace.
public struct RuleEvaluation: Sendable, Equatable, Codable {
    public var outcome = RuleOutcome()
    /// For each field set, the rule that set it.
    public var setBy: [String: String] = [:]
    public var matched: [String] = []
    public var trace: [String] = []

    public init() {}

    /// Applies a matching rule's actions to the outcome.
    mutating func apply(_ actions: RuleActions, from rule: String, incident: Incident) {
        func set<T>(_ path: WritableKeyPath<RuleOutcome, T?>, _ value: T?, _ name: String) {
            guard outcome[keyPath: path] == nil, let value else { return }
            outcome[keyPath: path] = value
            setBy[name] = rule
        }
        set(\.category, actions.category, "category")
        set(\.subcategory, actions.subcategory, "subcategory")
        set(\.impact, actions.impact, "impact")
        set(\.urgency, actions.urgency, "urgency")
        set(\.priority, actions.priority, "priority")
        set(\.vendor, actions.vendor, "vendor")
        set(\.vendorPool, actions.vendorPool.isEmpty ? nil : actions.vendorPool, "vendor_pool")
        set(\.slaPolicy, actions.slaPolicy, "sla_policy")
        set(\.suppressed, actions.suppress, "suppress")
        set(\.groupingKey, actions.groupingKey.map { GroupingKey.fill($0, incident: incident) }, "grouping_key")
        if let raise = actions.raisePriority, outcome.raisedPriority.map({ raise < $0 }) ?? true {
            outcome.raisedPriority = raise
            setBy["raise_priority"] = rule
        }
        for (name, value) in actions.labels where outcome.labels[name] == nil {
            outcome.labels[name] = value
        }
        for tag in actions.tags where !outcome.tags.contains(tag) {
            outcome.tags.append(tag)
        }
    }
}

/// Fills `{field}` placeholders of a grouping key from the incident.
public enum GroupingKey {
    public static func fill(_ template: String, incident: Incident) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += value(name, incident) ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func value(_ name: String, _ incident: Incident) -> String? {
        switch RuleField(parsing: name) {
        case .source?: incident.source
        case .service?: incident.service
        case .severity?: incident.severity.rawValue
        case .title?: incident.title
        case .dedupKey?: incident.dedupKey
        case .externalID?: incident.externalID
        case .label(let label)?: incident.labels[label]
        default: nil
        }
    }

    /// Placeholder names a template uses that ``fill(_:incident:)`` cannot fill (for validation).
    public static func unknownPlaceholders(_ template: String) -> [String] {
        var unknown: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            switch RuleField(parsing: name) {
            case .source?, .service?, .severity?, .title?, .dedupKey?, .externalID?, .label?: break
            default: unknown.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return unknown
    }
}
