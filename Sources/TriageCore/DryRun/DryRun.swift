import FoundationEssentials

/// Runs history through the production decision (``TriagePolicy/triage(_:now:model:similar:states:)``)
/// with nothing written and nothing sent: each incident at its own time, in time order, with the
/// vendors' load growing as they are assigned incidents, as it would have.
public enum DryRun {
    /// One incident to replay, with the label to check the outcome against, if known.
    public struct Entry: Sendable {
        public var incident: Incident
        public var inputID: String
        public var label: String?
        /// When history says the vendor acknowledged and resolved it (replay stops the clocks there).
        public var acknowledgedAt: Date?
        public var resolvedAt: Date?

        public init(
            incident: Incident, inputID: String, label: String? = nil, acknowledgedAt: Date? = nil, resolvedAt: Date? = nil
        ) {
            self.incident = incident
            self.inputID = inputID
            self.label = label
            self.acknowledgedAt = acknowledgedAt
            self.resolvedAt = resolvedAt
        }
    }

    /// What the label is compared with.
    public enum LabelField: String, Sendable, CaseIterable {
        case category, vendor, priority
    }

    /// What would have happened to one incident.
    public struct Outcome: Sendable, Codable, Equatable {
        public var id: String
        public var at: String
        public var title: String
        public var category: String?
        public var priority: String
        public var vendor: String?
        public var abstained: Bool
        public var suppressed: String?
        public var matchedRules: [String]
        public var acknowledgeBy: String?
        public var resolveBy: String?
        /// Escalation steps that fire (`resolve 50% at …`): every step when nothing stops the
        /// clocks; in a replay, those due before the acknowledgement or resolution history gives.
        public var escalations: [String]
        /// Targets missed (`acknowledge`, `resolve`) under the same rule.
        public var breaches: [String]
        /// A vendor was passed over because it was at capacity.
        public var capacityOverflow: Bool
        public var label: String?
        public var explanation: [String]

        enum CodingKeys: String, CodingKey {
            case id, at, title, category, priority, vendor, abstained, suppressed, escalations, breaches, label, explanation
            case capacityOverflow = "capacity_overflow"
            case matchedRules = "matched_rules"
            case acknowledgeBy = "acknowledge_by"
            case resolveBy = "resolve_by"
        }

        func value(_ field: LabelField) -> String {
            switch field {
            case .category: category ?? "(none)"
            case .vendor: vendor ?? "(none)"
            case .priority: priority
            }
        }
    }

    /// The trained classifier and past incidents, as `serve` has them after training.
    public struct Intelligence: Sendable {
        public var model: TextClassifier
        public var history: NeighbourIndex
        public var neighbours: Int

        public init(model: TextClassifier, history: NeighbourIndex, neighbours: Int) {
            self.model = model
            self.history = history
            self.neighbours = neighbours
        }
    }

    /// Replays `entries` through `policy`, in time order; `labelField` says what a label is
    /// compared with. See ``Session`` for `replay`.
    public static func run(
        _ entries: [Entry], policy: TriagePolicy, intelligence: Intelligence? = nil, labelField: LabelField = .category,
        replay: Bool = false, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> (outcomes: [Outcome], summary: DryRunSummary) {
        let ordered = entries.enumerated().sorted {
            ($0.element.incident.occurredAt, $0.offset) < ($1.element.incident.occurredAt, $1.offset)
        }.map(\.element)
        var session = Session(policy: policy, intelligence: intelligence, replay: replay)
        var summary = DryRunSummary.Accumulator(labelField: labelField)
        var outcomes: [Outcome] = []
        for entry in ordered {
            if let progress, outcomes.count % 1000 == 0 { progress(outcomes.count, ordered.count) }
            let outcome = session.decide(entry)
            summary.add(outcome)
            outcomes.append(outcome)
        }
        return (outcomes, summary.summary(rules: policy.rules.rules.map(\.name)))
    }
}
