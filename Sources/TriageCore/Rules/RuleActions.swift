/// What a matching rule does. Set-fields follow "first setter wins" across the rules that match
/// (so an early, specific rule is not overridden by a later, general one); `raise_priority` can
/// only make the priority more urgent; labels and tags accumulate.
public struct RuleActions: Sendable, Equatable {
    public var category: String?
    public var subcategory: String?
    public var impact: ImpactLevel?
    public var urgency: ImpactLevel?
    public var priority: Priority?
    /// Raise the priority to at least this (P1 is the most urgent).
    public var raisePriority: Priority?
    public var vendor: String?
    /// Let assignment choose among these vendors only.
    public var vendorPool: [String]
    public var slaPolicy: String?
    public var labels: [String: String]
    public var tags: [String]
    /// Incidents with the same grouping key belong together. `{field}` placeholders
    /// (`{service}`, `{labels.alertname}`) are filled from the incident.
    public var groupingKey: String?
    /// Suppress with this reason: recorded and explained, never dispatched.
    public var suppress: String?
    /// Stop evaluating every later rule and group after this one.
    public var stop: Bool

    public init(
        category: String? = nil, subcategory: String? = nil, impact: ImpactLevel? = nil, urgency: ImpactLevel? = nil,
        priority: Priority? = nil, raisePriority: Priority? = nil, vendor: String? = nil, vendorPool: [String] = [],
        slaPolicy: String? = nil, labels: [String: String] = [:], tags: [String] = [], groupingKey: String? = nil,
        suppress: String? = nil, stop: Bool = false
    ) {
        self.category = category
        self.subcategory = subcategory
        self.impact = impact
        self.urgency = urgency
        self.priority = priority
        self.raisePriority = raisePriority
        self.vendor = vendor
        self.vendorPool = vendorPool
        self.slaPolicy = slaPolicy
        self.labels = labels
        self.tags = tags
        self.groupingKey = groupingKey
        self.suppress = suppress
        self.stop = stop
    }
}

/// ITIL impact and urgency levels.
public enum ImpactLevel: String, Sendable, Codable, CaseIterable {
    case high, medium, low
}

/// ITIL's impact × urgency → priority table, configurable in `rules.yaml`.
public struct PriorityMatrix: Sendable, Equatable {
    public var table: [ImpactLevel: [ImpactLevel: Priority]]

    public init(table: [ImpactLevel: [ImpactLevel: Priority]]) {
        self.table = table
    }

    /// The common ITIL table: high/high P1 … low/low P5.
    public static let standard = PriorityMatrix(table: [
        .high: [.high: .p1, .medium: .p2, .low: .p3],
        .medium: [.high: .p2, .medium: .p3, .low: .p4],
        .low: [.high: .p3, .medium: .p4, .low: .p5],
    ])

    public func priority(impact: ImpactLevel, urgency: ImpactLevel) -> Priority? {
        table[impact]?[urgency]
    }
}
