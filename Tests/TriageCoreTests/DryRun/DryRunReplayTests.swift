import Foundation
import Testing

@testable import TriageCore

/// A replay on a simulated clock: load rises and falls with history, escalation steps fire at
/// known simulated times up to the acknowledgement and resolution history gives.
struct DryRunReplayTests {
    static func at(_ text: String) -> Date { RFC3339.parse("2026-11-24T\(text):00Z")! }

    /// acme: capacity 1, P3 acknowledge 1 h / resolve 4 h around the clock, steps at 50 % and 75 %;
    /// globex (the default) takes the overflow, with no ladder.
    static var policy: TriagePolicy {
        var contract = Contract(targets: [.p3: SLATarget(acknowledge: .seconds(3600), resolve: .seconds(14_400))])
        contract.escalation = EscalationLadder(name: "l", steps: [
            EscalationStep(trigger: .percent(50), actions: [.notify("vendor")]),
            EscalationStep(trigger: .percent(75), actions: [.notify("vendor")]),
        ])
        var acme = Vendor(name: "acme", endpoint: "http://x/acme", skills: ["database"], cost: 1, contract: contract)
        acme.capacity = 1
        let globex = Vendor(
            name: "globex", endpoint: "http://x/globex", skills: ["database"], cost: 2,
            contract: Contract(targets: [.p3: SLATarget(acknowledge: .seconds(3600), resolve: .seconds(14_400))]))
        let rules = RuleSet(rules: [
            Rule(name: "db", when: .text(.text, .containsAny(["database"])), then: RuleActions(category: "database", priority: .p3))
        ])
        return TriagePolicy(rules: rules, vendors: [acme, globex], defaultVendor: "globex")
    }

    static func entry(_ id: String, _ time: String, acknowledged: String? = nil, resolved: String? = nil) -> DryRun.Entry {
        var generator = SplitMix64(seed: UInt64(id.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        let draft = IncidentDraft(source: "history", dedupKey: id, title: "database slow \(id)", occurredAt: at(time))
        return DryRun.Entry(
            incident: Incident(id: IncidentID(now: at(time), using: &generator), draft: draft, receivedAt: at(time), rawPayloadID: 0),
            inputID: id, acknowledgedAt: acknowledged.map(at), resolvedAt: resolved.map(at))
    }

    static let history = [
        entry("A", "10:00", acknowledged: "10:30", resolved: "11:30"),
        entry("B", "10:10"),  // acme is full (A is open): goes to globex; never acknowledged in history
        entry("C", "12:00", acknowledged: "12:20", resolved: "15:30"),  // A resolved at 11:30: acme has room again
    ]

    @Test func loadRisesAndFallsAndStepsFireAtKnownSimulatedTimes() {
        let (outcomes, summary) = DryRun.run(Self.history, policy: Self.policy, replay: true)
        let byID = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.id, $0) })
        #expect(byID["A"]?.vendor == "acme")
        #expect(byID["B"]?.vendor == "globex")
        #expect(byID["B"]?.capacityOverflow == true)
        #expect(byID["C"]?.vendor == "acme")
        // A: acknowledged and resolved before any step or deadline.
        #expect(byID["A"]?.escalations == [])
        #expect(byID["A"]?.breaches == [])
        // B: nobody acted, so both deadlines pass (globex has no ladder).
        #expect(byID["B"]?.breaches == ["acknowledge", "resolve"])
        // C: resolved at 15:30: 50 % (14:00) and 75 % (15:00) fire, the 16:00 deadline does not.
        #expect(byID["C"]?.escalations == [
            "resolve 50% at 2026-11-24T14:00:00.000Z", "resolve 75% at 2026-11-24T15:00:00.000Z",
        ])
        #expect(byID["C"]?.breaches == [])
        #expect(summary.capacityOverflows == 1)
        #expect(summary.escalations == [DryRunSummary.Count(name: "acme", count: 2)])
        #expect(summary.breaches == [DryRunSummary.Count(name: "globex", count: 2)])
    }

    @Test func withoutReplayEachIncidentMeetsIdleVendorsAndEveryStepIsListed() {
        let (outcomes, summary) = DryRun.run(Self.history, policy: Self.policy)
        #expect(outcomes.map { $0.vendor ?? "-" } == ["acme", "acme", "acme"])
        #expect(summary.capacityOverflows == 0)
        // Nothing stops the clocks: both steps and both deadlines for each.
        #expect(outcomes.allSatisfy { $0.escalations.count == 2 && $0.breaches == ["acknowledge", "resolve"] })
    }
}

extension DryRunReplayTests {
    @Test func theTableIsColouredOnlyWhenAsked() {
        let (outcomes, summary) = DryRun.run(Self.history, policy: Self.policy, replay: true)
        let plain = DryRun.table(outcomes, summary: summary)
        let coloured = DryRun.table(outcomes, summary: summary, colour: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.hasPrefix("\u{1B}[1mTIME"))
        // Same text once the colour codes are taken out: alignment is unchanged.
        let stripped = coloured.replacing(/\u{1B}\[[0-9;]*m/, with: "")
        #expect(stripped == plain)
    }
}
