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

        public init(incident: Incident, inputID: String, label: String? = nil) {
            self.incident = incident
            self.inputID = inputID
            self.label = label
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
        /// Escalation steps the clocks would fire if nobody acknowledged or resolved (`resolve 50% at …`).
        public var escalations: [String]
        public var label: String?
        public var explanation: [String]

        enum CodingKeys: String, CodingKey {
            case id, at, title, category, priority, vendor, abstained, suppressed, escalations, label, explanation
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

    /// Replays `entries` through `policy`; `labelField` says what a label is compared with.
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

    public static func run(
        _ entries: [Entry], policy: TriagePolicy, intelligence: Intelligence? = nil, labelField: LabelField = .category
    ) -> (outcomes: [Outcome], summary: DryRunSummary) {
        let ordered = entries.enumerated().sorted {
            ($0.element.incident.occurredAt, $0.offset) < ($1.element.incident.occurredAt, $1.offset)
        }.map(\.element)
        var states: [String: VendorState] = [:]
        var outcomes: [Outcome] = []
        for entry in ordered {
            let now = entry.incident.occurredAt
            var similar: [Neighbour] = []
            if let intelligence, intelligence.neighbours > 0 {
                let text = entry.incident.title + "\n" + entry.incident.description
                similar = intelligence.history.nearest(intelligence.model.vector(text), k: intelligence.neighbours)
            }
            let decision = policy.triage(entry.incident, now: now, model: intelligence?.model, similar: similar, states: states)
            if let vendor = decision.vendor, decision.suppressed == nil {
                var state = states[vendor] ?? VendorState()
                state.openIncidents += 1
                state.openByPriority[decision.priority, default: 0] += 1
                state.assigned += 1
                if let service = entry.incident.service?.lowercased() { state.affinity[service, default: 0] += 1 }
                states[vendor] = state
            }
            let timers = decision.sla?.plannedTimers ?? []
            let steps = decision.sla?.snapshot?.steps ?? []
            let escalations = timers.filter { steps.indices.contains($0.step) }.map { "\(steps[$0.step].label) at \(RFC3339.format($0.dueAt))" }
            outcomes.append(Outcome(
                id: entry.inputID, at: RFC3339.format(now), title: entry.incident.title, category: decision.category,
                priority: decision.priority.rawValue, vendor: decision.vendor, abstained: decision.abstained,
                suppressed: decision.suppressed, matchedRules: decision.matchedRules,
                acknowledgeBy: decision.sla.map { RFC3339.format($0.acknowledgeBy) },
                resolveBy: decision.sla.map { RFC3339.format($0.resolveBy) }, escalations: escalations, label: entry.label,
                explanation: decision.explanation))
        }
        return (outcomes, DryRunSummary(outcomes: outcomes, rules: policy.rules.rules.map(\.name), labelField: labelField))
    }
}
