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
    public var labelled: Int
    public var labelField: String?
    public var accuracy: Double?
    public var macroF1: Double?
    /// The most frequent wrong answers.
    public var confusions: [Confusion]

    enum CodingKeys: String, CodingKey {
        case incidents, abstained, suppressed, unassigned, vendors, labelled, accuracy, confusions, escalations, breaches
        case capacityOverflows = "capacity_overflows"
        case ruleHits = "rule_hits"
        case neverHit = "never_hit"
        case labelField = "label_field"
        case macroF1 = "macro_f1"
    }

    public init(outcomes: [DryRun.Outcome], rules: [String], labelField: DryRun.LabelField) {
        incidents = outcomes.count
        var hits: [String: Int] = [:]
        for outcome in outcomes { for rule in outcome.matchedRules { hits[rule, default: 0] += 1 } }
        ruleHits = hits.map { Count(name: $0.key, count: $0.value) }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        neverHit = rules.filter { hits[$0] == nil }
        abstained = outcomes.filter(\.abstained).count
        suppressed = outcomes.filter { $0.suppressed != nil }.count
        unassigned = outcomes.filter { $0.vendor == nil && $0.suppressed == nil }.count
        var byVendor: [String: Int] = [:]
        for outcome in outcomes { if let vendor = outcome.vendor { byVendor[vendor, default: 0] += 1 } }
        vendors = Self.counts(byVendor)
        var escalated: [String: Int] = [:]
        var breached: [String: Int] = [:]
        for outcome in outcomes {
            guard let vendor = outcome.vendor else { continue }
            if !outcome.escalations.isEmpty { escalated[vendor, default: 0] += outcome.escalations.count }
            if !outcome.breaches.isEmpty { breached[vendor, default: 0] += outcome.breaches.count }
        }
        escalations = Self.counts(escalated)
        breaches = Self.counts(breached)
        capacityOverflows = outcomes.filter(\.capacityOverflow).count
        let withLabels = outcomes.filter { $0.label != nil }
        labelled = withLabels.count
        guard !withLabels.isEmpty else {
            confusions = []
            return
        }
        self.labelField = labelField.rawValue
        let truth = withLabels.compactMap(\.label)
        let predicted = withLabels.map { $0.value(labelField) }
        (accuracy, macroF1) = Self.scores(truth: truth, predicted: predicted)
        var wrong: [String: Int] = [:]
        for (t, p) in zip(truth, predicted) where t != p { wrong["\(t)\u{1F}\(p)", default: 0] += 1 }
        confusions = wrong.map { key, count in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return Confusion(truth: parts[0], predicted: parts[1], count: count)
        }.sorted { ($1.count, $0.truth, $0.predicted) < ($0.count, $1.truth, $1.predicted) }.prefix(10).map { $0 }
    }

    /// Accuracy, and macro-F1 over the labels that occur in `truth` (each label's F1 from its
    /// precision over what was predicted as it and its recall over its occurrences, averaged).
    static func scores(truth: [String], predicted: [String]) -> (Double, Double) {
        var support: [String: Int] = [:]
        var guessed: [String: Int] = [:]
        var hits: [String: Int] = [:]
        for (t, p) in zip(truth, predicted) {
            support[t, default: 0] += 1
            guessed[p, default: 0] += 1
            if t == p { hits[t, default: 0] += 1 }
        }
        let f1s = support.keys.map { label -> Double in
            let tp = Double(hits[label] ?? 0)
            let precision = guessed[label].map { tp / Double($0) } ?? 0
            let recall = tp / Double(support[label] ?? 1)
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        let correct = hits.values.reduce(0, +)
        return (Double(correct) / Double(max(1, truth.count)), f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count))
    }

    /// Most first, ties by name.
    static func counts(_ values: [String: Int]) -> [Count] {
        values.map { Count(name: $0.key, count: $0.value) }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
    }
}
