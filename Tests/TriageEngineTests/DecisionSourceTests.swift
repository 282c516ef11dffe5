import Foundation
import Testing
import TriageCore

@testable import TriageEngine

/// `triage_decisions_total{by}` reads what decided an incident from real decisions of the policy,
/// so the explanation lines it relies on are the ones triage writes.
struct DecisionSourceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let acme = Vendor(name: "acme", endpoint: "http://127.0.0.1:1/acme", skills: ["database"])

    func incident(_ title: String, service: String? = nil) -> Incident {
        var generator = SystemRandomNumberGenerator()
        return Incident(
            id: IncidentID(now: now, using: &generator),
            draft: IncidentDraft(source: "generic", title: title, service: service), receivedAt: now, rawPayloadID: 1)
    }

    func decide(
        _ title: String, service: String? = nil, rules: [Rule] = [], vendors: [Vendor]? = nil, defaultVendor: String? = nil,
        states: [String: VendorState] = [:]
    ) -> Decision {
        TriagePolicy(rules: RuleSet(rules: rules), vendors: vendors ?? [acme], defaultVendor: defaultVendor)
            .triage(incident(title, service: service), now: now, states: states)
    }

    func when(_ word: String) -> Condition { .text(.text, .containsAny([word])) }

    @Test func aRuleThatSetsTheCategoryDecides() {
        let decision = decide("database down", rules: [Rule(name: "db", when: when("database"), then: RuleActions(category: "database"))])
        #expect(decision.vendor == "acme")
        #expect(DecisionSource(decision) == .rule)
    }

    @Test func aRuleThatNamesTheVendorDecidesWithoutACategory() {
        let decision = decide("printer jam", rules: [Rule(name: "pin", when: when("printer"), then: RuleActions(vendor: "acme"))])
        #expect(decision.abstained)
        #expect(decision.vendor == "acme")
        #expect(DecisionSource(decision) == .rule)
    }

    @Test func aBackupOfTheVendorARuleNamedCountsAsTheRules() {
        var primary = Vendor(name: "primary", endpoint: "http://127.0.0.1:1/p", backup: "acme")
        primary.capacity = 1
        let decision = decide(
            "printer jam", rules: [Rule(name: "pin", when: when("printer"), then: RuleActions(vendor: "primary"))],
            vendors: [primary, acme], states: ["primary": VendorState(openIncidents: 1)])
        #expect(decision.vendor == "acme")
        #expect(DecisionSource(decision) == .rule)
    }

    @Test func theDefaultVendorWhenNobodyElseFits() {
        let decision = decide("printer jam", defaultVendor: "acme")
        #expect(decision.vendor == "acme")
        #expect(DecisionSource(decision) == .default)
    }

    @Test func theInternalQueueWhenNobodyAtAllFits() {
        let decision = decide("printer jam")
        #expect(decision.vendor == nil)
        #expect(DecisionSource(decision) == .internalQueue)
    }

    @Test func aSuppressionWinsOverEverything() {
        let decision = decide(
            "database disk noise",
            rules: [Rule(name: "noise", when: when("noise"), then: RuleActions(category: "database", suppress: "known noise"))])
        #expect(DecisionSource(decision) == .suppressed)
    }

    @Test func noCategoryButAServiceMatchIsAnAbstention() {
        var billing = Vendor(name: "billing-team", endpoint: "http://127.0.0.1:1/b")
        billing.services = ["billing"]
        var decision = decide("something odd", service: "billing", vendors: [acme, billing])
        #expect(decision.abstained)
        #expect(decision.vendor == "billing-team")
        #expect(DecisionSource(decision) == .abstained)
        // An unsure classifier leaves it an abstention; a sure one applied decides.
        decision.prediction = ClassifierPrediction(label: nil, confidence: 0.3, abstained: true, ranked: [])
        #expect(DecisionSource(decision) == .abstained)
        decision.prediction = ClassifierPrediction(label: "billing", confidence: 0.9, abstained: false, ranked: [])
        #expect(DecisionSource(decision) == .classifier)
    }

    @Test func everySourceHasItsLabel() {
        #expect(DecisionSource.allCases.map(\.rawValue) == ["rule", "classifier", "abstained", "default", "internal_queue", "suppressed"])
    }
}
