/// One rule: a condition on the incident (and the evaluation instant), and what to do when it holds.
public struct Rule: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var when: Condition
    public var then: RuleActions
    /// In a first-match group: keep evaluating the group's later rules after this one matched
    /// (Alertmanager's `continue`).
    public var continueMatching: Bool
    /// Where the rule was written (`rules/rules.yaml:12`), quoted in explanations and errors.
    public var origin: String?

    public init(
        name: String, description: String? = nil, when: Condition, then: RuleActions,
        continueMatching: Bool = false, origin: String? = nil
    ) {
        self.name = name
        self.description = description
        self.when = when
        self.then = then
        self.continueMatching = continueMatching
        self.origin = origin
    }

    var originSuffix: String { origin.map { " (\($0))" } ?? "" }
}

/// An ordered group of rules. Groups run in order; each sees what earlier groups decided.
public struct RuleGroup: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The first matching rule applies; later ones only after a `continue: true`.
        case first
        /// Every matching rule applies, in order.
        case all
    }

    public var name: String
    public var mode: Mode
    public var rules: [Rule]

    public init(name: String, mode: Mode = .first, rules: [Rule]) {
        self.name = name
        self.mode = mode
        self.rules = rules
    }
}
