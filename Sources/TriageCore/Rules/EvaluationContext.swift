import FoundationEssentials

/// One incident being evaluated: its fields, the instant, what rules have decided so far, and
/// its text analysed at most once per field.
struct EvaluationContext {
    let incident: Incident
    let now: Date
    let explain: Bool
    var outcome = RuleOutcome()
    private var analysed: [RuleField: AnalyzedText] = [:]
    private var vectors: [RuleField: SparseVector] = [:]

    /// `now` in RFC 3339, for explanations (rendered once).
    let nowText: String

    init(incident: Incident, now: Date, explain: Bool) {
        self.incident = incident
        self.now = now
        self.explain = explain
        self.nowText = explain ? RFC3339.format(now) : ""
    }

    /// The value of `field`, normalised to lower case for closed sets and services; `nil` when absent.
    func value(_ field: RuleField) -> String? {
        switch field {
        case .source: incident.source
        case .severity: incident.severity.rawValue
        case .service: incident.service?.lowercased()
        case .title: incident.title
        case .description: incident.description
        case .text: incident.title + "\n" + incident.description
        case .status: incident.status.rawValue
        case .externalID: incident.externalID
        case .dedupKey: incident.dedupKey
        case .occurrences: String(incident.occurrences)
        case .label(let name): incident.labels[name] ?? outcome.labels[name]
        case .category: outcome.category
        case .subcategory: outcome.subcategory
        case .priority: outcome.priority.map { $0.rawValue.lowercased() }
        case .vendor: outcome.vendor
        }
    }

    /// The value as the incident has it (original case), for explanations.
    func display(_ field: RuleField) -> String {
        switch field {
        case .service: incident.service ?? ""
        case .priority: outcome.priority?.rawValue ?? ""
        default: value(field) ?? ""
        }
    }

    /// The similarity vector of a text field, computed at most once.
    mutating func vector(_ field: RuleField) -> SparseVector {
        if let cached = vectors[field] { return cached }
        let vector = FeatureHasher().features(value(field) ?? "").normalised()
        vectors[field] = vector
        return vector
    }

    mutating func text(_ field: RuleField) -> AnalyzedText {
        if let cached = analysed[field] { return cached }
        let text = AnalyzedText(value(field) ?? "")
        analysed[field] = text
        return text
    }
}
