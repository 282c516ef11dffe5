import FoundationEssentials

/// One rule test: an incident, the instant it is evaluated at, and what the decision must say.
/// Only the expectations given are checked.
public struct RuleTestCase: Sendable {
    /// An expected optional value: `nil` here means "not checked", `.some(nil)` "must be unset".
    public struct Expectation: Sendable, Equatable {
        public var category: String??
        public var subcategory: String??
        public var priority: Priority?
        public var vendor: String??
        /// `true`/`false`, or a reason that must match exactly.
        public var suppressed: Suppression?
        public var tags: [String]?
        public var labels: [String: String]?
        public var matched: [String]?
        public var groupingKey: String??
        public var slaPolicy: String??

        public enum Suppression: Sendable, Equatable {
            case yes
            case no
            case because(String)
        }

        public init() {}
    }

    public var name: String
    /// Where the test was written (`rules/tests/routing.yaml:12`).
    public var origin: String
    public var at: Date
    public var incident: Incident
    public var expect: Expectation

    public init(name: String, origin: String, at: Date, incident: Incident, expect: Expectation) {
        self.name = name
        self.origin = origin
        self.at = at
        self.incident = incident
        self.expect = expect
    }

    /// The instant tests run at when they do not say: Monday 2026-01-05 12:00 UTC.
    public static let defaultInstant = Date(timeIntervalSince1970: 1_767_614_400)

    /// Runs the case through `policy`; each returned line is one difference (`priority: expected
    /// P1, got P2`). Empty when the test passes.
    public func failures(under policy: TriagePolicy) -> (differences: [String], decision: Decision) {
        let decision = policy.triage(incident, now: at)
        var out: [String] = []
        func compare(_ what: String, _ expected: String??, _ actual: String?) {
            guard let expected else { return }
            if expected != actual {
                out.append("\(what): expected \(expected.map { "'\($0)'" } ?? "none"), got \(actual.map { "'\($0)'" } ?? "none")")
            }
        }
        compare("category", expect.category, decision.category)
        compare("subcategory", expect.subcategory, decision.subcategory)
        if let priority = expect.priority, priority != decision.priority {
            out.append("priority: expected \(priority.rawValue), got \(decision.priority.rawValue)")
        }
        compare("vendor", expect.vendor, decision.vendor)
        compare("grouping_key", expect.groupingKey, decision.groupingKey)
        compare("sla_policy", expect.slaPolicy, decision.slaPolicy)
        switch expect.suppressed {
        case .yes? where decision.suppressed == nil: out.append("suppressed: expected yes, got no")
        case .no? where decision.suppressed != nil: out.append("suppressed: expected no, got '\(decision.suppressed ?? "")'")
        case .because(let reason)? where decision.suppressed != reason:
            out.append("suppressed: expected '\(reason)', got \(decision.suppressed.map { "'\($0)'" } ?? "no")")
        default: break
        }
        if let tags = expect.tags {
            let missing = tags.filter { !(decision.tags ?? []).contains($0) }
            if !missing.isEmpty { out.append("tags: expected \(tags) among \(decision.tags ?? []), missing \(missing)") }
        }
        if let labels = expect.labels {
            for (name, value) in labels.sorted(by: { $0.key < $1.key }) where decision.labels?[name] != value {
                out.append("labels.\(name): expected '\(value)', got \(decision.labels?[name].map { "'\($0)'" } ?? "none")")
            }
        }
        if let matched = expect.matched, matched != decision.matchedRules {
            out.append("matched: expected \(matched), got \(decision.matchedRules)")
        }
        return (out, decision)
    }
}
