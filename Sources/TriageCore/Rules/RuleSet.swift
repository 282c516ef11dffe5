/// The ordered rules of a configuration, and their evaluation against an incident.
public struct RuleSet: Sendable, Equatable {
    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// Evaluates the rules against `incident` in order.
    ///
    /// Pure and deterministic: the same incident and rules always give the same result and trace.
    /// - Returns: The merged outcome, the names of the rules that matched, and one line per rule
    ///   considered saying why it matched or which condition failed.
    public func evaluate(_ incident: Incident) -> RuleEvaluation {
        var result = RuleEvaluation()
        for rule in rules {
            switch Self.check(rule.when, against: incident) {
            case .failure(let reason):
                result.trace.append("rule '\(rule.name)'\(rule.originSuffix) did not match: \(reason)")
            case .success(let reasons):
                result.matched.append(rule.name)
                let why = reasons.isEmpty ? "no conditions" : reasons.joined(separator: ", ")
                result.trace.append("rule '\(rule.name)'\(rule.originSuffix) matched: \(why)")
                result.merge(rule.then, from: rule.name)
                if !rule.continueMatching { return result }
            }
        }
        return result
    }

    enum Check {
        case success([String])
        case failure(String)
    }

    static func check(_ conditions: RuleConditions, against incident: Incident) -> Check {
        var reasons: [String] = []
        if !conditions.sources.isEmpty {
            guard conditions.sources.contains(incident.source) else {
                return .failure("source is '\(incident.source)', wants one of \(conditions.sources)")
            }
            reasons.append("source = \(incident.source)")
        }
        if !conditions.severities.isEmpty {
            guard conditions.severities.contains(incident.severity) else {
                let wanted = conditions.severities.map(\.rawValue)
                return .failure("severity is \(incident.severity.rawValue), wants one of \(wanted)")
            }
            reasons.append("severity = \(incident.severity.rawValue)")
        }
        if !conditions.services.isEmpty {
            let service = incident.service ?? ""
            guard conditions.services.contains(where: { $0.equalsIgnoringCase(service) }) else {
                return .failure("service is '\(service)', wants one of \(conditions.services)")
            }
            reasons.append("service = \(service)")
        }
        for (name, condition) in conditions.labels.sorted(by: { $0.key < $1.key }) {
            let value = incident.labels[name]
            switch (condition, value) {
            case (.present, .some(let v)):
                reasons.append("label \(name) present ('\(v)')")
            case (.oneOf(let values), .some(let v)) where values.contains(v):
                reasons.append("label \(name) = '\(v)'")
            case (_, .none):
                return .failure("label \(name) is missing, wants \(condition.describe())")
            case (_, .some(let v)):
                return .failure("label \(name) is '\(v)', wants \(condition.describe())")
            }
        }
        if !conditions.textContains.isEmpty {
            let text = (incident.title + "\n" + incident.description).lowercased()
            guard let hit = conditions.textContains.first(where: { text.contains($0.lowercased()) }) else {
                return .failure("text contains none of \(conditions.textContains)")
            }
            reasons.append("text contains '\(hit)'")
        }
        return .success(reasons)
    }
}

extension Rule {
    var originSuffix: String { origin.map { " (\($0))" } ?? "" }
}

/// The outcome of evaluating a rule set: merged fields, which rule set each, and a trace.
public struct RuleEvaluation: Sendable, Equatable, Codable {
    public var outcome = RuleOutcome()
    /// For each field set, the rule that set it.
    public var setBy: [String: String] = [:]
    public var matched: [String] = []
    public var trace: [String] = []

    public init() {}

    mutating func merge(_ other: RuleOutcome, from rule: String) {
        if outcome.category == nil, let value = other.category {
            outcome.category = value
            setBy["category"] = rule
        }
        if outcome.priority == nil, let value = other.priority {
            outcome.priority = value
            setBy["priority"] = rule
        }
        if outcome.vendor == nil, let value = other.vendor {
            outcome.vendor = value
            setBy["vendor"] = rule
        }
    }
}
