import FoundationEssentials

/// The rules of a configuration, compiled, and their evaluation against an incident at an instant.
///
/// Groups run in order. In a `first` group the first matching rule applies and the group ends
/// unless that rule says `continue`; in an `all` group every matching rule applies. A rule with
/// `stop: true` ends the whole evaluation. Pure and deterministic: the same incident, instant and
/// rules always give the same outcome and trace.
public struct RuleSet: Sendable {
    /// What conditions refer to by name: calendars and the time zones of time tests.
    public struct Resources: Sendable {
        public var calendars: [String: BusinessCalendar]
        public var zones: [String: ZoneRules]

        public init(calendars: [String: BusinessCalendar] = [:], zones: [String: ZoneRules] = [:]) {
            self.calendars = calendars
            self.zones = zones
        }
    }

    public let groups: [RuleGroup]
    public let matrix: PriorityMatrix
    public let slaPolicies: [String: SLAPolicy]
    public let resources: Resources
    let compiled: [[CompiledCondition]]
    let indexes: [RuleIndex]
    /// "rule 'name' (origin)" per rule, rendered once for explanations.
    let labels: [[String]]

    public init(
        groups: [RuleGroup], matrix: PriorityMatrix = .standard, slaPolicies: [String: SLAPolicy] = [:],
        resources: Resources = Resources()
    ) {
        self.groups = groups
        self.matrix = matrix
        self.slaPolicies = slaPolicies
        self.resources = resources
        self.compiled = groups.map { group in group.rules.map { CompiledCondition.compile($0.when, context: resources) } }
        let added = Set(groups.flatMap { $0.rules.flatMap { $0.then.labels.keys } })
        self.indexes = groups.map { RuleIndex($0.rules, addedLabels: added) }
        self.labels = groups.map { $0.rules.map { "rule '\($0.name)'\($0.originSuffix)" } }
    }

    /// One first-match group named `rules`.
    public init(rules: [Rule]) {
        self.init(groups: [RuleGroup(name: "rules", rules: rules)])
    }

    /// Every rule, in evaluation order.
    public var rules: [Rule] { groups.flatMap(\.rules) }

    /// Evaluates the rules against `incident` at `now`.
    /// - Parameters:
    ///   - explain: Build the trace (one line per rule tested). Off only for benchmarks.
    ///   - useIndex: Test only the rules the index says could match (on by default; off is the
    ///     naive evaluate-every-rule baseline, which gives the same outcome).
    public func evaluate(_ incident: Incident, at now: Date, explain: Bool = true, useIndex: Bool = true) -> RuleEvaluation {
        var result = RuleEvaluation()
        var context = EvaluationContext(incident: incident, now: now, explain: explain)
        groups: for (groupIndex, group) in groups.enumerated() {
            context.outcome = result.outcome
            let positions = useIndex ? indexes[groupIndex].candidates(for: &context) : Array(group.rules.indices)
            if explain, positions.count < group.rules.count {
                let skipped = group.rules.count - positions.count
                result.trace.append(
                    "group '\(group.name)': \(skipped) of \(group.rules.count) rules skipped by the index "
                        + "(each requires a label, word, service, source or severity this incident does not have)")
            }
            for position in positions {
                var why: [String] = []
                context.outcome = result.outcome
                guard ConditionChecker.check(compiled[groupIndex][position], &context, &why) else {
                    if explain { result.trace.append(labels[groupIndex][position] + " did not match: " + (why.last ?? "?")) }
                    continue
                }
                let name = group.rules[position].name
                result.matched.append(name)
                if explain {
                    let reasons = why.isEmpty ? "no conditions" : why.joined(separator: ", ")
                    result.trace.append(labels[groupIndex][position] + " matched: " + reasons)
                }
                result.apply(group.rules[position].then, from: name, incident: incident)
                if group.rules[position].then.stop {
                    if explain { result.trace.append("rule '\(name)' stops evaluation") }
                    break groups
                }
                if group.mode == .first, !group.rules[position].continueMatching { break }
            }
        }
        return result
    }

    /// The priority the outcome implies: an explicit one, else impact × urgency through the
    /// matrix, else `fallback`; then raised to any `raise_priority`. With the reason.
    public func priority(of outcome: RuleOutcome, setBy: [String: String], fallback: Priority) -> (Priority, String) {
        var priority = fallback
        var reason = "priority \(fallback.rawValue) from severity (no rule set one)"
        if let explicit = outcome.priority {
            priority = explicit
            reason = "priority \(explicit.rawValue) set by rule '\(setBy["priority"] ?? "?")'"
        } else if let impact = outcome.impact, let urgency = outcome.urgency,
            let fromMatrix = matrix.priority(impact: impact, urgency: urgency)
        {
            priority = fromMatrix
            reason =
                "priority \(fromMatrix.rawValue) from impact \(impact.rawValue) × urgency \(urgency.rawValue) "
                + "(rules '\(setBy["impact"] ?? "?")', '\(setBy["urgency"] ?? "?")')"
        }
        if let raised = outcome.raisedPriority, raised < priority {
            reason += "; raised to \(raised.rawValue) by rule '\(setBy["raise_priority"] ?? "?")'"
            priority = raised
        }
        return (priority, reason)
    }
}

/// Named SLA targets a rule can choose instead of the vendor contract's own.
public struct SLAPolicy: Sendable, Equatable {
    public var name: String
    public var targets: [Priority: SLATarget]
    /// Each `nil` keeps the vendor contract's own.
    public var clock: SLAClockChoice?
    public var pauseOn: [String]?
    public var escalation: EscalationLadder?

    public init(name: String, targets: [Priority: SLATarget]) {
        self.name = name
        self.targets = targets
    }
}
