import FoundationEssentials
import Testing

@testable import TriageCore

/// Groups, first/all semantics, continue, stop, and how actions merge.
struct RuleGroupTests {
    let now = RuleFixtures.noon

    func rule(_ name: String, _ when: Condition, _ then: RuleActions, continues: Bool = false) -> Rule {
        Rule(name: name, when: when, then: then, continueMatching: continues)
    }

    func rule(_ name: String, _ then: RuleActions) -> Rule {
        Rule(name: name, when: .always, then: then)
    }

    @Test func firstMatchStopsUnlessContinue() {
        let set = RuleSet(rules: [
            rule("a", .field(.severity, .equals("critical")), RuleActions(priority: .p1), continues: true),
            rule("b", .text(.title, .containsAny(["disk"])), RuleActions(category: "storage", priority: .p3)),
            rule("c", RuleActions(category: "other")),
        ])
        let result = set.evaluate(makeIncident(severity: .critical), at: now)
        #expect(result.matched == ["a", "b"])
        #expect(result.outcome.category == "storage")
        #expect(result.outcome.priority == .p1)  // first setter wins
        #expect(result.setBy["priority"] == "a")
    }

    @Test func allGroupAppliesEveryMatchAndLaterGroupsSeeTheResult() {
        let set = RuleSet(groups: [
            RuleGroup(
                name: "enrich", mode: .all,
                rules: [
                    rule("tag-db", .text(.title, .containsAny(["db"])), RuleActions(labels: ["layer": "data"], tags: ["db"])),
                    rule("tag-disk", .text(.title, .containsAny(["disk"])), RuleActions(category: "storage", tags: ["disk"])),
                    rule("never", .field(.source, .equals("grafana")), RuleActions(tags: ["never"])),
                ]),
            RuleGroup(
                name: "route",
                rules: [
                    // Conditions on what earlier rules decided: the category, an added label.
                    rule("storage-data", .all([.field(.category, .equals("storage")), .field(.label("layer"), .equals("data"))]),
                         RuleActions(vendor: "acme")),
                    rule("fallback", RuleActions(vendor: "globex")),
                ]),
        ])
        let result = set.evaluate(makeIncident(title: "Disk almost full on db-7"), at: now)
        #expect(result.matched == ["tag-db", "tag-disk", "storage-data"])
        #expect(result.outcome.tags == ["db", "disk"])
        #expect(result.outcome.labels == ["layer": "data"])
        #expect(result.outcome.vendor == "acme")
    }

    @Test func stopEndsEveryGroup() {
        let set = RuleSet(groups: [
            RuleGroup(name: "noise", rules: [
                rule("noisy", .field(.label("env"), .equals("staging")), RuleActions(suppress: "staging noise", stop: true))
            ]),
            RuleGroup(name: "route", rules: [rule("all", RuleActions(category: "x"))]),
        ])
        let staging = set.evaluate(makeIncident(labels: ["env": "staging"]), at: now)
        #expect(staging.matched == ["noisy"])
        #expect(staging.outcome.suppressed == "staging noise")
        #expect(staging.outcome.category == nil)
        #expect(set.evaluate(makeIncident(labels: ["env": "prod"]), at: now).matched == ["all"])
    }

    @Test func priorityFromMatrixExplicitAndRaise() {
        let matrix = PriorityMatrix.standard
        #expect(matrix.priority(impact: .high, urgency: .high) == .p1)
        #expect(matrix.priority(impact: .medium, urgency: .low) == .p4)
        #expect(matrix.priority(impact: .low, urgency: .low) == .p5)
        let set = RuleSet(groups: [
            RuleGroup(name: "g", mode: .all, rules: [
                rule("impact", RuleActions(impact: .medium, urgency: .high)),
                rule("raise", .field(.severity, .equals("critical")), RuleActions(raisePriority: .p1)),
                rule("raise-less", RuleActions(raisePriority: .p3)),
            ])
        ])
        let calm = set.evaluate(makeIncident(severity: .warning), at: now)
        let (p, why) = set.priority(of: calm.outcome, setBy: calm.setBy, fallback: .p4)
        #expect(p == .p2)
        #expect(why == "priority P2 from impact medium × urgency high (rules 'impact', 'impact')")
        let hot = set.evaluate(makeIncident(severity: .critical), at: now)
        let (raised, raisedWhy) = set.priority(of: hot.outcome, setBy: hot.setBy, fallback: .p4)
        #expect(raised == .p1)
        #expect(raisedWhy.hasSuffix("; raised to P1 by rule 'raise'"))
        // A custom matrix.
        let custom = RuleSet(
            groups: [RuleGroup(name: "g", rules: [rule("i", RuleActions(impact: .low, urgency: .low))])],
            matrix: PriorityMatrix(table: [.low: [.low: .p3]]))
        let outcome = custom.evaluate(makeIncident(), at: now)
        #expect(custom.priority(of: outcome.outcome, setBy: outcome.setBy, fallback: .p5).0 == .p3)
    }

    @Test func groupingKeyIsFilledFromTheIncident() {
        let set = RuleSet(rules: [rule("g", RuleActions(groupingKey: "{service}/{labels.alertname}/{labels.none}"))])
        let result = set.evaluate(makeIncident(labels: ["alertname": "DiskFull"], service: "billing"), at: now)
        #expect(result.outcome.groupingKey == "billing/DiskFull/")
        #expect(GroupingKey.unknownPlaceholders("{service}/{colour}") == ["colour"])
    }

    @Test func suppressionVendorPoolAndSLAPolicyReachTheDecision() throws {
        let acme = Vendor(name: "acme", endpoint: "http://x/a", skills: ["db"], cost: 100)
        let globex = Vendor(
            name: "globex", endpoint: "http://x/g", skills: [], cost: 50,
            contract: Contract(targets: [.p2: SLATarget(acknowledge: .seconds(3600), resolve: .seconds(36_000))]))
        let initech = Vendor(name: "initech", endpoint: "http://x/i", skills: [], cost: 10)
        let fast = SLAPolicy(name: "fast", targets: [.p2: SLATarget(acknowledge: .seconds(60), resolve: .seconds(600))])
        let set = RuleSet(
            groups: [RuleGroup(name: "g", rules: [
                rule("mute", .field(.label("env"), .equals("staging")), RuleActions(suppress: "staging")),
                rule("pool", RuleActions(priority: .p2, vendorPool: ["acme", "globex"], slaPolicy: "fast")),
            ])],
            slaPolicies: ["fast": fast])
        let policy = TriagePolicy(rules: set, vendors: [acme, globex, initech])
        let muted = policy.triage(makeIncident(labels: ["env": "staging"]), now: now)
        #expect(muted.suppressed == "staging")
        #expect(muted.vendor == nil)
        #expect(muted.sla == nil)
        let pooled = policy.triage(makeIncident(), now: now)
        #expect(pooled.vendor == "globex")  // cheapest in the pool, not initech
        #expect(pooled.slaPolicy == "fast")
        let plan = try #require(pooled.sla)
        #expect(plan.acknowledgeBy == now.addingTimeInterval(60))  // the policy, not globex's contract
    }

    @Test func lintFindsRulesThatCanNeverMatch() {
        let group = RuleGroup(name: "g", rules: [
            rule("db", .text(.title, .containsAny(["db"])), RuleActions(category: "db")),
            rule("db-again", .text(.title, .containsAny(["db"])), RuleActions(category: "other")),
            rule("catch-all", RuleActions(category: "x")),
            rule("after", .field(.source, .equals("grafana")), RuleActions(category: "y")),
        ])
        #expect(RuleLint.unreachable(group).map(\.rule) == ["db-again", "after"])
        #expect(RuleLint.unreachable(group)[1].message.contains("'catch-all'"))
        let allGroup = RuleGroup(name: "a", mode: .all, rules: group.rules)
        #expect(RuleLint.unreachable(allGroup).isEmpty)
        let stopper = RuleGroup(name: "s", mode: .all, rules: [rule("stop-all", RuleActions(stop: true)), rule("x", RuleActions())])
        #expect(RuleLint.afterStop([stopper, group]).map(\.rule) == ["x", "db", "db-again", "catch-all", "after"])
    }
}
