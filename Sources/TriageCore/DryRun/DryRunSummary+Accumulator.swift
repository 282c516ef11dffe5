import FoundationEssentials

extension DryRunSummary {
    /// Counts outcomes one at a time, so a summary needs no list of them.
    public struct Accumulator {
        let labelField: DryRun.LabelField
        var incidents = 0
        var hits: [String: Int] = [:]
        var abstained = 0
        var suppressed = 0
        var unassigned = 0
        var vendors: [String: Int] = [:]
        var escalations: [String: Int] = [:]
        var breaches: [String: Int] = [:]
        var overflows = 0
        var priorities: [String: Int] = [:]
        var first: String?
        var last: String?
        var labelled = 0
        var support: [String: Int] = [:]
        var guessed: [String: Int] = [:]
        var right: [String: Int] = [:]
        var wrong: [String: Int] = [:]

        /// Outcomes counted so far.
        public var count: Int { incidents }

        public init(labelField: DryRun.LabelField) {
            self.labelField = labelField
        }

        public mutating func add(_ outcome: DryRun.Outcome) {
            incidents += 1
            for rule in outcome.matchedRules { hits[rule, default: 0] += 1 }
            if outcome.abstained { abstained += 1 }
            if outcome.suppressed != nil { suppressed += 1 }
            priorities[outcome.priority, default: 0] += 1
            if first.map({ outcome.at < $0 }) ?? true { first = outcome.at }
            if last.map({ outcome.at > $0 }) ?? true { last = outcome.at }
            if let vendor = outcome.vendor {
                vendors[vendor, default: 0] += 1
                if !outcome.escalations.isEmpty { escalations[vendor, default: 0] += outcome.escalations.count }
                if !outcome.breaches.isEmpty { breaches[vendor, default: 0] += outcome.breaches.count }
            } else if outcome.suppressed == nil {
                unassigned += 1
            }
            if outcome.capacityOverflow { overflows += 1 }
            if let truth = outcome.label {
                let predicted = outcome.value(labelField)
                labelled += 1
                support[truth, default: 0] += 1
                guessed[predicted, default: 0] += 1
                if truth == predicted { right[truth, default: 0] += 1 } else { wrong["\(truth)\u{1F}\(predicted)", default: 0] += 1 }
            }
        }

        /// The summary so far; `rules` are every rule's name, to find those never hit.
        public func summary(rules: [String]) -> DryRunSummary {
            var summary = DryRunSummary(
                incidents: incidents, ruleHits: DryRunSummary.counts(hits), neverHit: rules.filter { hits[$0] == nil },
                abstained: abstained, suppressed: suppressed, unassigned: unassigned, vendors: DryRunSummary.counts(vendors),
                escalations: DryRunSummary.counts(escalations), breaches: DryRunSummary.counts(breaches),
                capacityOverflows: overflows, priorities: DryRunSummary.counts(priorities), firstAt: first, lastAt: last,
                labelled: labelled, confusions: [])
            guard labelled > 0 else { return summary }
            summary.labelField = labelField.rawValue
            let f1s = support.keys.map { label -> Double in
                let tp = Double(right[label] ?? 0)
                let precision = guessed[label].map { tp / Double($0) } ?? 0
                let recall = tp / Double(support[label] ?? 1)
                return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            }
            summary.accuracy = Double(right.values.reduce(0, +)) / Double(labelled)
            summary.macroF1 = f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)
            summary.confusions = wrong.map { key, count in
                let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                return Confusion(truth: parts[0], predicted: parts[1], count: count)
            }.sorted { ($1.count, $0.truth, $0.predicted) < ($0.count, $1.truth, $1.predicted) }.prefix(10).map { $0 }
            return summary
        }
    }
}
