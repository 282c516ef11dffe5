import TriageCore

/// Everything under `rules/`, parsed and cross-checked: sources, vendors, rules, delivery settings.
public struct TriageConfiguration: Sendable {
    public var sources: [SourceDefinition]
    public var ingest: IngestSettings
    public var vendors: [Vendor]
    public var rules: RuleSet
    public var classifier: ClassifierSettings
    public var duplicates: DuplicateSettings
    public var defaultVendor: String?
    public var delivery: DeliverySettings
    public var assignment: AssignmentWeights
    /// Payload templates from `templates/*.mustache`, by name.
    public var templates: [String: String]
    /// Escalation ladders from vendors.yaml `escalations:`, by name (contracts and SLA policies
    /// already hold the ones they name).
    public var escalations: [String: EscalationLadder]
    /// Where escalation notices go besides the assigned vendor (vendors.yaml `notify:`).
    public var notifyEndpoints: [NotifyEndpoint]
    /// How long data is kept (`retention.yaml`); `nil`, without the file: everything is kept.
    public var retention: RetentionPolicy? = nil
    /// Redaction profiles from vendors.yaml `redaction.profiles`, by name (vendors already hold
    /// the one they name; `dry-run --redact` and `export --redact` pick one by name).
    public var redactionProfiles: [String: RedactionProfile] = [:]

    public init(
        sources: [SourceDefinition],
        ingest: IngestSettings = IngestSettings(),
        vendors: [Vendor],
        rules: RuleSet,
        classifier: ClassifierSettings = ClassifierSettings(),
        duplicates: DuplicateSettings = DuplicateSettings(),
        defaultVendor: String? = nil,
        delivery: DeliverySettings = DeliverySettings(),
        assignment: AssignmentWeights = AssignmentWeights(),
        templates: [String: String] = [:],
        escalations: [String: EscalationLadder] = [:],
        notifyEndpoints: [NotifyEndpoint] = []
    ) {
        self.escalations = escalations
        self.notifyEndpoints = notifyEndpoints
        self.assignment = assignment
        self.templates = templates
        self.sources = sources
        self.ingest = ingest
        self.vendors = vendors
        self.rules = rules
        self.classifier = classifier
        self.duplicates = duplicates
        self.defaultVendor = defaultVendor
        self.delivery = delivery
    }

    /// The pure decision function this configuration describes.
    public var policy: TriagePolicy {
        var policy = TriagePolicy(rules: rules, vendors: vendors, defaultVendor: defaultVendor, classifier: classifier)
        policy.assigner.weights = assignment
        return policy
    }
}
