import FoundationEssentials
import Testing

@testable import TriageCore

func makeIncident(
    title: String = "Disk almost full on db-7",
    description: String = "",
    source: String = "alertmanager",
    severity: Severity = .warning,
    labels: [String: String] = [:],
    service: String? = nil,
    resolved: Bool = false
) -> Incident {
    var generator = SystemRandomNumberGenerator()
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let draft = IncidentDraft(
        source: source, title: title, description: description, severity: severity, labels: labels,
        service: service, action: resolved ? .resolve : .trigger)
    return Incident(id: IncidentID(now: now, using: &generator), draft: draft, receivedAt: now, rawPayloadID: 1)
}

struct RuleSetTests {
    let rules = RuleSet(rules: [
        Rule(
            name: "critical-p1", when: RuleConditions(severities: [.critical]), then: RuleOutcome(priority: .p1),
            continueMatching: true),
        Rule(
            name: "billing-db",
            when: RuleConditions(labels: ["team": .oneOf(["billing"])], textContains: ["database"]),
            then: RuleOutcome(category: "database", priority: .p2, vendor: "acme")),
        Rule(name: "disk", when: RuleConditions(textContains: ["disk"]), then: RuleOutcome(category: "storage")),
        Rule(
            name: "has-env", when: RuleConditions(labels: ["env": .present]), then: RuleOutcome(category: "env")),
    ])

    @Test func firstMatchStopsEvaluation() {
        let result = rules.evaluate(makeIncident(title: "Disk full", labels: ["env": "prod"]))
        #expect(result.matched == ["disk"])
        #expect(result.outcome == RuleOutcome(category: "storage"))
        #expect(result.trace.count == 3)  // critical-p1 and billing-db failed, disk matched, has-env never reached
        #expect(result.trace[0].contains("severity is warning"))
    }

    @Test func continueLetsLaterRulesFillUnsetFieldsOnly() {
        let incident = makeIncident(
            title: "Billing database down", severity: .critical, labels: ["team": "billing"])
        let result = rules.evaluate(incident)
        #expect(result.matched == ["critical-p1", "billing-db"])
        #expect(result.outcome == RuleOutcome(category: "database", priority: .p1, vendor: "acme"))
        #expect(result.setBy == ["priority": "critical-p1", "category": "billing-db", "vendor": "billing-db"])
    }

    @Test func labelConditionsExplainWhyTheyFail() {
        let wrongValue = rules.evaluate(makeIncident(title: "database slow", labels: ["team": "web"]))
        #expect(wrongValue.trace[1].contains("label team is 'web', wants 'billing'"))
        let missing = rules.evaluate(makeIncident(title: "database slow"))
        #expect(missing.trace[1].contains("label team is missing"))
    }

    @Test func presentMatchesAnyValue() {
        let result = rules.evaluate(makeIncident(title: "CPU hot", labels: ["env": "staging"]))
        #expect(result.matched == ["has-env"])
        #expect(result.trace.last?.contains("label env present ('staging')") == true)
    }

    @Test func noRuleMatchesGivesEmptyOutcome() {
        let result = rules.evaluate(makeIncident(title: "CPU hot"))
        #expect(result.matched.isEmpty)
        #expect(result.outcome == RuleOutcome())
        #expect(result.trace.count == 4)
    }

    @Test func sourceServiceAndTextAreCaseInsensitiveWhereDocumented() {
        let set = RuleSet(rules: [
            Rule(
                name: "r", when: RuleConditions(sources: ["generic"], services: ["Checkout"], textContains: ["LATENCY"]),
                then: RuleOutcome(category: "web"))
        ])
        #expect(set.evaluate(makeIncident(title: "high latency", source: "generic", service: "checkout")).matched == ["r"])
        #expect(set.evaluate(makeIncident(title: "high latency", source: "Generic", service: "checkout")).matched == [])
    }
}
