import FoundationEssentials

/// The whole replay at a glance: which rules fired and which never did, what was left for a
/// human, where incidents went, and how the outcome compares with the labels.
public struct DryRunSummary: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var name: String
        public var count: Int
    }

    public struct Confusion: Sendable, Codable, Equatable {
        public var truth: String
        public var predicted: String
        public var count: Int
    }

    public var incidents: Int
    /// Rules by how many incidents they matched, most first (ties by name).
    public var ruleHits: [Count]
    /// Rules that matched nothing: candidates for removal or a fix.
    public var neverHit: [String]
    public var abstained: Int
    public var suppressed: Int
    /// Incidents no vendor could take (internal queue).
    public var unassigned: Int
    public var vendors: [Count]
    /// Escalation steps and missed targets per vendor (all that would fire with nobody acting,
    /// or, in a replay, before history's acknowledgement or resolution).
    public var escalations: [Count]
    public var breaches: [Count]
    /// Incidents for which a vendor was passed over at capacity.
    public var capacityOverflows: Int
    /// Incidents per priority.
    public var priorities: [Count]
    /// The earliest and latest incident times (RFC 3339).
    public var firstAt: String?
    public var lastAt: String?
    public var labelled: Int
    public var labelField: String?
    public var accuracy: Double?
    public var macroF1: Double?
    /// The most frequent wrong answers.
    public var confusions: [Confusion]

    enum CodingKeys: String, CodingKey {
        case incidents, abstained, suppressed, unassigned, vendors, labelled, accuracy, confusions, escalations, breaches
        case capacityOverflows = "capacity_overflows"
        case priorities
        case firstAt = "first_at"
        case lastAt = "last_at"
        case ruleHits = "rule_hits"
        case neverHit = "never_hit"
        case labelField = "label_field"
        case macroF1 = "macro_f1"
    }

    public init(outcomes: [DryRun.Outcome], rules: [String], labelField: DryRun.LabelField) {
        var accumulator = Accumulator(labelField: labelField)
        for outcome in outcomes { accumulator.add(outcome) }
        self = accumulator.summary(rules: rules)
    }

    init(
        incidents: Int, ruleHits: [Count], neverHit: [String], abstained: Int, suppressed: Int, unassigned: Int,
        vendors: [Count], escalations: [Count], breaches: [Count], capacityOverflows: Int, priorities: [Count],
        firstAt: String?, lastAt: String?, labelled: Int, confusions: [Confusion]
    ) {
        self.incidents = incidents
        self.ruleHits = ruleHits
        self.neverHit = neverHit
        self.abstained = abstained
        self.suppressed = suppressed
        self.unassigned = unassigned
        self.vendors = vendors
        self.escalations = escalations
        self.breaches = breaches
        self.capacityOverflows = capacityOverflows
        self.priorities = priorities
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.labelled = labelled
        self.confusions = confusions
    }

    /// Most first, ties by name.
    static func counts(_ values: [String: Int]) -> [Count] {
        values.map { Count(name: $0.key, count: $0.value) }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
    }
}
