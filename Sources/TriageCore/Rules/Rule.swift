/// One routing rule: conditions on an incident, and what to set when they all hold.
///
/// Rules are evaluated in file order. The first rule that matches sets its fields; later rules
/// are evaluated only when it says `continue: true`, and then only fill fields still unset.
public struct Rule: Sendable, Equatable, Codable {
    public var name: String
    public var when: RuleConditions
    public var then: RuleOutcome
    /// Keep evaluating later rules after this one matched.
    public var continueMatching: Bool
    /// Where the rule was written (`rules/routing.yaml:12`), quoted in explanations.
    public var origin: String?

    public init(
        name: String,
        when: RuleConditions,
        then: RuleOutcome,
        continueMatching: Bool = false,
        origin: String? = nil
    ) {
        self.name = name
        self.when = when
        self.then = then
        self.continueMatching = continueMatching
        self.origin = origin
    }
}

/// What a matching rule sets; `nil` fields are left to later rules or defaults.
public struct RuleOutcome: Sendable, Equatable, Codable {
    public var category: String?
    public var priority: Priority?
    public var vendor: String?

    public init(category: String? = nil, priority: Priority? = nil, vendor: String? = nil) {
        self.category = category
        self.priority = priority
        self.vendor = vendor
    }
}
