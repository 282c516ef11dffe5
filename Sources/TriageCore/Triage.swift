import FoundationEssentials

/// The whole decision for one incident: rules, then assignment, then the SLA plan.
///
/// Pure: reads no clock and does no I/O; `now` is the instant every deadline is counted from and
/// the instant time conditions are tested at. The worker and the dry-run both call this, so what
/// a replay shows is what production does.
public struct TriagePolicy: Sendable {
    public var rules: RuleSet
    public var assigner: VendorAssigner
    public var classifier: ClassifierSettings

    public init(
        rules: RuleSet, vendors: [Vendor], defaultVendor: String? = nil, classifier: ClassifierSettings = ClassifierSettings()
    ) {
        self.rules = rules
        self.assigner = VendorAssigner(vendors: vendors, defaultVendor: defaultVendor)
        self.classifier = classifier
    }

    /// - Parameters:
    ///   - model: The trained classifier in force, consulted when no rule decided what it predicts.
    ///   - similar: The most similar past incidents (from the neighbour index), shown in the decision.
    ///   - states: Each vendor's current load, SLA attainment, share count and service history, by
    ///     name, for assignment (a vendor without one counts as idle and new).
    public func triage(
        _ incident: Incident, now: Date, model: TextClassifier? = nil, similar: [Neighbour] = [],
        states: [String: VendorState] = [:]
    ) -> Decision {
        let evaluation = rules.evaluate(incident, at: now)
        var outcome = evaluation.outcome
        var explanation = evaluation.trace
        let prediction = predict(incident, model: model, outcome: &outcome, explanation: &explanation)
        let category = outcome.category
        if let category, let rule = evaluation.setBy["category"] {
            explanation.append("category '\(category)' set by rule '\(rule)'")
        } else if let category, prediction?.abstained == false, classifier.target == .category {
            explanation.append("category '\(category)' predicted by the classifier")
        } else {
            explanation.append("classification abstained: no rule set a category")
        }
        for neighbour in similar {
            explanation.append(
                "similar past incident \(neighbour.id) (\(neighbour.label ?? "unlabelled"), similarity \(Self.round(neighbour.score)))")
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
        decision.prediction = prediction
        decision.similar = similar.isEmpty ? nil : similar
        if let reason = outcome.suppressed {
            decision.suppressed = reason
            decision.explanation.append(
                "suppressed by rule '\(evaluation.setBy["suppress"] ?? "?")': \(reason); no vendor, no clock")
            return decision
        }
        let request = AssignmentRequest(
            category: category, service: incident.service,
            group: outcome.labels["assignment_group"] ?? incident.labels["assignment_group"],
            language: outcome.labels["language"] ?? incident.labels["language"], priority: priority,
            pinned: outcome.vendor, pool: outcome.vendorPool ?? [], now: now)
        let assignment = assigner.assign(request, states: states)
        decision.explanation.append(contentsOf: assignment.reasons)
        let vendor = assignment.toInternalQueue ? nil : assignment.vendor
        decision.vendor = vendor?.name
        if let vendor {
            let policy = outcome.slaPolicy.flatMap { rules.slaPolicies[$0] }
            decision.sla = SLAPlan.make(priority: priority, vendor: vendor, now: now, policy: policy)
            let source = policy.map { "SLA policy '\($0.name)'" } ?? "'\(vendor.name)' contract"
            if let plan = decision.sla, let terms = plan.snapshot {
                var line = "SLA \(priority.rawValue) from \(source): acknowledge within \(terms.describe(.acknowledge)), "
                    + "by \(plan.acknowledgeBy.rfc3339); resolve within \(terms.describe(.resolve)), by \(plan.resolveBy.rfc3339)"
                if let ladder = terms.ladder { line += "; escalation '\(ladder)' (\(terms.steps.count) steps)" }
                if !terms.pauseOn.isEmpty { line += "; paused while status is \(terms.pauseOn.joined(separator: " or "))" }
                decision.explanation.append(line)
            } else {
                decision.explanation.append("\(source) has no SLA target for \(priority.rawValue); no clock started")
            }
        }
        return decision
    }

    /// Asks the classifier for what no rule decided (category, vendor or assignment group) and
    /// applies a confident answer; an unsure one is recorded and explained, never applied.
    func predict(
        _ incident: Incident, model: TextClassifier?, outcome: inout RuleOutcome, explanation: inout [String]
    ) -> ClassifierPrediction? {
        guard classifier.enabled, let model else { return nil }
        switch classifier.target {
        case .category where outcome.category != nil: return nil
        case .vendor where outcome.vendor != nil || outcome.vendorPool != nil: return nil
        case .assignmentGroup where outcome.labels["assignment_group"] != nil: return nil
        default: break
        }
        var prediction = model.predict(incident.title + "\n" + incident.description)
        let best = prediction.ranked.first
        let confident = prediction.knownWords && (best.map { $0.probability >= classifier.threshold } ?? false)
        prediction.abstained = !confident
        prediction.label = confident ? best?.label : nil
        guard confident, let label = best?.label else {
            if !prediction.knownWords {
                explanation.append("classifier abstained: no word of this text occurs in its training data; left for a human")
                return prediction
            }
            let guess = best.map { "best guess '\($0.label)' at \(Self.round($0.probability))" } ?? "no labels"
            explanation.append(
                "classifier abstained: \(guess) is below the threshold \(Self.round(classifier.threshold)); left for a human")
            return prediction
        }
        explanation.append(
            "classifier predicts \(classifier.target.rawValue) '\(label)' with confidence \(Self.round(prediction.confidence)) "
                + "(threshold \(Self.round(classifier.threshold)))")
        switch classifier.target {
        case .category: outcome.category = label
        case .vendor: outcome.vendor = assigner.vendors.contains { $0.name == label } ? label : nil
        case .assignmentGroup: outcome.labels["assignment_group"] = label
        }
        return prediction
    }

    static func round(_ value: Double) -> String {
        let hundredths = (value * 100).rounded() / 100
        return String(hundredths)
    }
}
