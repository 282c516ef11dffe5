import FoundationEssentials

/// The whole decision for one incident: rules, then assignment, then the SLA plan.
///
/// Pure: reads no clock and does no I/O; `now` is the instant every deadline is counted from and
/// the instant time conditions are tested at. The worker and the dry-run both call this, so what
/// a replay shows is what production does.
public struct TriagePolicy: Sendable {
    public var rules: RuleSet
    public var assigner: VendorAssigner

    public init(rules: RuleSet, vendors: [Vendor], defaultVendor: String? = nil) {
        self.rules = rules
        self.assigner = VendorAssigner(vendors: vendors, defaultVendor: defaultVendor)
    }

    public func triage(_ incident: Incident, now: Date) -> Decision {
        let evaluation = rules.evaluate(incident, at: now)
        let outcome = evaluation.outcome
        var explanation = evaluation.trace
        let category = outcome.category
        if let category, let rule = evaluation.setBy["category"] {
            explanation.append("category '\(category)' set by rule '\(rule)'")
        } else {
            explanation.append("classification abstained: no rule set a category")
        }
        let (priority, priorityReason) = rules.priority(
            of: outcome, setBy: evaluation.setBy, fallback: Priority(defaultFor: incident.severity))
        explanation.append(priorityReason)
        var decision = Decision(
            incidentID: incident.id, decidedAt: now, category: category, priority: priority, vendor: nil,
            abstained: category == nil, matchedRules: evaluation.matched, sla: nil, explanation: explanation)
        decision.subcategory = outcome.subcategory
        decision.tags = outcome.tags.isEmpty ? nil : outcome.tags
        decision.labels = outcome.labels.isEmpty ? nil : outcome.labels
        decision.groupingKey = outcome.groupingKey
        decision.slaPolicy = outcome.slaPolicy
        if let reason = outcome.suppressed {
            decision.suppressed = reason
            decision.explanation.append(
                "suppressed by rule '\(evaluation.setBy["suppress"] ?? "?")': \(reason); no vendor, no clock")
            return decision
        }
        let (vendor, reasons) = assigner.assign(
            category: category, ruleVendor: outcome.vendor, pool: outcome.vendorPool ?? [])
        decision.explanation.append(contentsOf: reasons)
        decision.vendor = vendor?.name
        if let vendor {
            let policy = outcome.slaPolicy.flatMap { rules.slaPolicies[$0] }
            decision.sla = SLAPlan.make(priority: priority, vendor: vendor, now: now, policy: policy)
            let source = policy.map { "SLA policy '\($0.name)'" } ?? "'\(vendor.name)' contract"
            if let plan = decision.sla {
                decision.explanation.append(
                    "SLA \(priority.rawValue) from \(source): acknowledge by \(plan.acknowledgeBy.rfc3339), "
                        + "resolve by \(plan.resolveBy.rfc3339) (wall clock)")
            } else {
                decision.explanation.append("\(source) has no SLA target for \(priority.rawValue); no clock started")
            }
        }
        return decision
    }
}
