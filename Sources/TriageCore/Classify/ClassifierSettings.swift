import FoundationEssentials

/// How triage uses the text classifier and the duplicate finder (`classifier:` and `duplicates:`
/// in `rules.yaml`).
public struct ClassifierSettings: Sendable, Equatable {
    /// What the classifier's label fills when no rule decided it.
    public enum Target: String, Sendable, Equatable, CaseIterable {
        /// The incident's category (vendors are then chosen by skill).
        case category
        /// The vendor, directly.
        case vendor
        /// An assignment group: recorded as the label `assignment_group` and matched against
        /// vendor skills when no category is set.
        case assignmentGroup = "assignment_group"
    }

    public var enabled: Bool
    public var target: Target
    /// Below this confidence the classifier abstains and says so.
    public var threshold: Double
    /// History files to train from at start-up (CSV or JSONL), with their columns.
    public var trainingFiles: [String]
    public var textColumns: [String]
    public var labelColumn: String
    /// Learn from resolved incidents whose label a rule (not the classifier) set.
    public var learnFromResolved: Bool
    /// How often the background trainer looks for new resolved incidents.
    public var retrainEvery: TimeInterval
    /// How many similar past incidents a decision shows.
    public var neighbours: Int

    public init(
        enabled: Bool = false, target: Target = .category, threshold: Double = 0.6, trainingFiles: [String] = [],
        textColumns: [String] = ["short_description", "description"], labelColumn: String = "label",
        learnFromResolved: Bool = true, retrainEvery: TimeInterval = 900, neighbours: Int = 3
    ) {
        self.enabled = enabled
        self.target = target
        self.threshold = threshold
        self.trainingFiles = trainingFiles
        self.textColumns = textColumns
        self.labelColumn = labelColumn
        self.learnFromResolved = learnFromResolved
        self.retrainEvery = retrainEvery
        self.neighbours = neighbours
    }
}

/// When a new incident repeats an open one: similar enough text, recent enough, same scope.
public struct DuplicateSettings: Sendable, Equatable {
    public enum Scope: String, Sendable, Equatable, CaseIterable {
        /// Any open incident.
        case any
        /// Only incidents of the same service.
        case service
        /// Only incidents from the same source.
        case source
    }

    public var enabled: Bool
    /// Cosine similarity (0…1) at or above which the new incident is a duplicate.
    public var threshold: Double
    /// How far back an open incident still counts.
    public var window: TimeInterval
    public var scope: Scope
    /// Dispatch a duplicate to a vendor anyway (`false`: link it and send nothing).
    public var dispatch: Bool

    public init(enabled: Bool = false, threshold: Double = 0.85, window: TimeInterval = 86_400, scope: Scope = .service, dispatch: Bool = false) {
        self.enabled = enabled
        self.threshold = threshold
        self.window = window
        self.scope = scope
        self.dispatch = dispatch
    }

    /// The scope key of an incident under this setting.
    public func scopeKey(of incident: Incident) -> String? {
        switch scope {
        case .any: nil
        case .service: incident.service?.lowercased() ?? ""
        case .source: incident.source
        }
    }
}
