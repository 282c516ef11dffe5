import FoundationEssentials

/// What triage decided for one incident, and why. Stored beside the incident and shown by the API.
public struct Decision: Sendable, Equatable, Codable {
    public var incidentID: IncidentID
    public var decidedAt: Date
    /// `nil` when classification abstained.
    public var category: String?
    public var priority: Priority
    /// `nil` when no vendor could be chosen; the incident then waits for a human.
    public var vendor: String?
    /// `true` when no rule classified the incident: the decision says so rather than guessing.
    public var abstained: Bool
    public var matchedRules: [String]
    public var sla: SLAPlan?
    /// One line per step: rules considered, how the priority and vendor were chosen, the SLA plan.
    public var explanation: [String]
    public var subcategory: String?
    /// Tags and labels the rules added.
    public var tags: [String]?
    public var labels: [String: String]?
    public var groupingKey: String?
    /// Why a rule suppressed the incident: it is recorded and explained but never dispatched.
    public var suppressed: String?
    /// The SLA policy a rule chose instead of the vendor contract's targets.
    public var slaPolicy: String?
    /// What the classifier said, when it was asked (no rule decided its target).
    public var prediction: ClassifierPrediction?
    /// The most similar past incidents, with their labels and similarity.
    public var similar: [Neighbour]?
    /// The open incident this one repeats, when the duplicate finder linked it.
    public var duplicateOf: String?
    /// The redaction rules that fired on what was sent to the vendor, as `rule:count` (never the
    /// values); empty when the vendor has a profile and nothing matched, `nil` when it has none.
    public var redactions: [String]?

    public init(
        incidentID: IncidentID,
        decidedAt: Date,
        category: String?,
        priority: Priority,
        vendor: String?,
        abstained: Bool,
        matchedRules: [String],
        sla: SLAPlan?,
        explanation: [String]
    ) {
        self.incidentID = incidentID
        self.decidedAt = decidedAt
        self.category = category
        self.priority = priority
        self.vendor = vendor
        self.abstained = abstained
        self.matchedRules = matchedRules
        self.sla = sla
        self.explanation = explanation
    }
}
