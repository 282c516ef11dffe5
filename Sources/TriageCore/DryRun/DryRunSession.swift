import FoundationEssentials

extension DryRun {
    /// Decides one incident after another, as the worker would have: what streams through it
    /// need not all be in memory.
    ///
    /// With `replay`, the history runs on a simulated clock: vendors' load grows with each
    /// assignment and falls when history says an incident was resolved, and SLA steps fire up to
    /// the acknowledgement or resolution history gives; entries must then come in time order.
    /// Without it, each incident is decided on its own against idle vendors, and every step of
    /// its SLA plan is listed.
    public struct Session {
        let policy: TriagePolicy
        let intelligence: Intelligence?
        let replay: Bool
        var states: [String: VendorState] = [:]
        /// Incidents still open in the simulation, released (load falls) when their resolution passes.
        var releases: [(at: Date, vendor: String, priority: Priority)] = []

        public init(policy: TriagePolicy, intelligence: Intelligence? = nil, replay: Bool = false) {
            self.policy = policy
            self.intelligence = intelligence
            self.replay = replay
        }

        public mutating func decide(_ entry: Entry) -> Outcome {
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
            return Outcome(
                id: entry.inputID, at: RFC3339.format(now), title: entry.incident.title, category: decision.category,
                priority: decision.priority.rawValue, vendor: decision.vendor, abstained: decision.abstained,
                suppressed: decision.suppressed, matchedRules: decision.matchedRules,
                acknowledgeBy: decision.sla.map { RFC3339.format($0.acknowledgeBy) },
                resolveBy: decision.sla.map { RFC3339.format($0.resolveBy) }, escalations: escalations, breaches: breaches,
                capacityOverflow: overflow, label: entry.label, explanation: decision.explanation)
        }
    }
}
