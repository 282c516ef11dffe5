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

    /// - Parameter replay: Simulate the history: vendors' load grows with each assignment and
    ///   falls when history says an incident was resolved, and SLA steps fire on the simulated
    ///   clock up to the acknowledgement or resolution. Without it, each incident is decided on
    ///   its own against idle vendors.
    public static func run(
        _ entries: [Entry], policy: TriagePolicy, intelligence: Intelligence? = nil, labelField: LabelField = .category,
        replay: Bool = false, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> (outcomes: [Outcome], summary: DryRunSummary) {
        let ordered = entries.enumerated().sorted {
            ($0.element.incident.occurredAt, $0.offset) < ($1.element.incident.occurredAt, $1.offset)
        }.map(\.element)
        var states: [String: VendorState] = [:]
        var outcomes: [Outcome] = []
        // Incidents still open in the simulation, released (load falls) when their resolution passes.
        var releases: [(at: Date, vendor: String, priority: Priority)] = []
        for entry in ordered {
            if let progress, outcomes.count % 1000 == 0 { progress(outcomes.count, ordered.count) }
            let now = entry.incident.occurredAt
            if replay {
                releases.sort { $0.at < $1.at }
                while let first = releases.first, first.at <= now {
                    releases.removeFirst()
                    var state = states[first.vendor] ?? VendorState()
                    state.openIncidents = max(0, state.openIncidents - 1)
                    state.openByPriority[first.priority] = max(0, (state.openByPriority[first.priority] ?? 0) - 1)
                    states[first.vendor] = state
                }
            } else {
                states = [:]
            }
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
                if replay, let resolved = entry.resolvedAt { releases.append((resolved, vendor, decision.priority)) }
            }
            let timers = decision.sla?.plannedTimers ?? []
            let steps = decision.sla?.snapshot?.steps ?? []
            // A target's clock stops when history acknowledged (resolved) it; nothing stops it otherwise.
            func stop(_ target: SLATimer.Kind) -> Date? {
                guard replay else { return nil }
                return target == .acknowledge ? (entry.acknowledgedAt ?? entry.resolvedAt) : entry.resolvedAt
            }
            let fired = timers.filter { timer in stop(timer.target).map { timer.dueAt < $0 } ?? true }
            let escalations = fired.filter { steps.indices.contains($0.step) }.map {
                "\(steps[$0.step].label) at \(RFC3339.format($0.dueAt))"
            }
            let breaches = fired.filter { $0.step == SLASchedule.deadlineStep }.map(\.target.rawValue)
            let overflow = decision.explanation.contains { $0.contains("excluded: at ") && $0.contains("capacity") }
            outcomes.append(Outcome(
                id: entry.inputID, at: RFC3339.format(now), title: entry.incident.title, category: decision.category,
                priority: decision.priority.rawValue, vendor: decision.vendor, abstained: decision.abstained,
                suppressed: decision.suppressed, matchedRules: decision.matchedRules,
                acknowledgeBy: decision.sla.map { RFC3339.format($0.acknowledgeBy) },
                resolveBy: decision.sla.map { RFC3339.format($0.resolveBy) }, escalations: escalations, breaches: breaches,
                capacityOverflow: overflow, label: entry.label, explanation: decision.explanation))
        }
        return (outcomes, DryRunSummary(outcomes: outcomes, rules: policy.rules.rules.map(\.name), labelField: labelField))
    }
}
