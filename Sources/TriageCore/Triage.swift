import FoundationEssentials

/// The whole decision for one incident: rules, then assignment, then the SLA plan.
///
/// Pure: reads no clock and does no I/O; `now` is the instant every deadline is counted from.
/// The worker and the dry-run both call this, so what a replay shows is what production does.
public struct TriagePolicy: Sendable {
    public var rules: RuleSet
    public var assigner: VendorAssigner

    public init(rules: RuleSet, vendors: [Vendor], defaultVendor: String? = nil) {
        self.rules = rules
        self.assigner = VendorAssigner(vendors: vendors, defaultVendor: defaultVendor)
    }

    public func triage(_ incident: Incident, now: Date) -> Decision {
        let evaluation = rules.evaluate(incident)
        var explanation = evaluation.trace
        let category = evaluation.outcome.category
        if let category, let rule = evaluation.setBy["category"] {
            explanation.append("category '\(category)' set by rule '\(rule)'")
        } else {
            explanation.append("classification abstained: no rule set a category")
        }
        let priority: Priority
        if let fromRule = evaluation.outcome.priority, let rule = evaluation.setBy["priority"] {
            priority = fromRule
            explanation.append("priority \(priority.rawValue) set by rule '\(rule)'")
        } else {
            priority = Priority(defaultFor: incident.severity)
            explanation.append("priority \(priority.rawValue) from severity \(incident.severity.rawValue) (no rule set one)")
        }
        let (vendor, reasons) = assigner.assign(category: category, ruleVendor: evaluation.outcome.vendor)
        explanation.append(contentsOf: reasons)
        var plan: SLAPlan?
        if let vendor {
            plan = SLAPlan.make(priority: priority, vendor: vendor, now: now)
            if let plan {
                explanation.append(
                    "SLA \(priority.rawValue) with '\(vendor.name)': acknowledge by \(plan.acknowledgeBy.rfc3339), "
                        + "resolve by \(plan.resolveBy.rfc3339) (wall clock)"
                )
            } else {
                explanation.append("'\(vendor.name)' has no SLA target for \(priority.rawValue); no clock started")
            }
        }
        return Decision(
            incidentID: incident.id,
            decidedAt: now,
            category: category,
            priority: priority,
            vendor: vendor?.name,
            abstained: category == nil,
            matchedRules: evaluation.matched,
            sla: plan,
            explanation: explanation
        )
    }
}
