import FoundationEssentials
import Testing

@testable import TriageCore

/// Assignment inside `TriagePolicy.triage`: the request built from the incident and the rules,
/// vendor states passed through, and the internal-queue alert in the decision.
struct TriageAssignmentTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let dbRule = Rule(
        name: "db", when: .text(.text, .containsAny(["database"])), then: RuleActions(category: "database"))

    @Test func statesAndIncidentFieldsReachTheAssigner() {
        let policy = TriagePolicy(
            rules: RuleSet(rules: [Self.dbRule]),
            vendors: [
                AssignmentFixtures.vendor("full") { $0.capacity = 2 },
                AssignmentFixtures.vendor("french", skills: []) { $0.services = ["billing"]; $0.languages = ["fr"] },
            ])
        let incident = makeIncident(title: "database down", labels: ["language": "fr-FR"], service: "Billing")
        let decision = policy.triage(incident, now: Self.now, states: ["full": VendorState(openIncidents: 2)])
        #expect(decision.vendor == "french")
        #expect(decision.explanation.contains("candidate 'full': excluded: at capacity (2 of 2 open)"))
        #expect(decision.explanation.contains("chose 'french': the only eligible vendor"))
    }

    @Test func assignmentGroupLabelMatchesVendorGroups() {
        let rule = Rule(
            name: "grp", when: .text(.text, .containsAny(["ledger"])), then: RuleActions(labels: ["assignment_group": "DBA"]))
        let policy = TriagePolicy(
            rules: RuleSet(rules: [rule]),
            vendors: [AssignmentFixtures.vendor("dba", skills: []) { $0.groups = ["dba"] }, AssignmentFixtures.vendor("other")])
        #expect(policy.triage(makeIncident(title: "ledger stuck"), now: Self.now).vendor == "dba")
    }

    @Test func nobodyEligibleLeavesNoVendorAndAnAlert() {
        let policy = TriagePolicy(
            rules: RuleSet(rules: [Self.dbRule]), vendors: [AssignmentFixtures.vendor("acme") { $0.enabled = false }])
        let decision = policy.triage(makeIncident(title: "database down"), now: Self.now)
        #expect(decision.vendor == nil)
        #expect(decision.sla == nil)
        #expect(
            decision.explanation.last
                == "ALERT: nobody eligible; routed to internal queue 'triage-desk' (acme: disabled (maintenance))")
    }
}
