import FoundationEssentials
import Testing

@testable import TriageCore

/// Pinned vendors and backup chains, pools, scoring and tie-breaks, share splits, the default
/// vendor and the internal queue.
struct VendorSelectionTests {
    typealias F = AssignmentFixtures

    // MARK: Pinned vendor and backups

    @Test func pinnedVendorWinsWithoutSkillFilter() {
        let assigner = VendorAssigner(vendors: [F.vendor("a", skills: ["web"]), F.vendor("b")])
        let result = assigner.assign(F.request(category: "database", pinned: "a"))
        #expect(result.vendor?.name == "a")
        #expect(result.route == .pinned)
        #expect(result.reasons == ["vendor 'a' named by rule"])
        #expect(result.candidates == [CandidateReport(name: "a")])
    }

    @Test func pinnedVendorIgnoresThePool() {
        let assigner = VendorAssigner(vendors: [F.vendor("a"), F.vendor("b")])
        #expect(assigner.assign(F.request(pinned: "a", pool: ["b"])).vendor?.name == "a")
    }

    @Test func ineligiblePinnedVendorFollowsItsBackupChain() {
        let assigner = VendorAssigner(vendors: [
            F.vendor("a") { $0.backup = "b"; $0.enabled = false },
            F.vendor("b") { $0.backup = "c"; $0.capacity = 1 },
            F.vendor("c", skills: ["web"]),
            F.vendor("d", cost: 1),
        ])
        let result = assigner.assign(F.request(pinned: "a"), states: ["b": VendorState(openIncidents: 1)])
        #expect(result.vendor?.name == "c")
        #expect(result.route == .backup)
        #expect(
            result.reasons == [
                "candidate 'a' (named by rule): excluded: disabled (maintenance)",
                "candidate 'b' (backup of 'a'): excluded: at capacity (1 of 1 open)",
                "chose 'c': first eligible vendor in the backup chain of 'a' (named by rule)",
            ])
        #expect(result.candidates.map(\.name) == ["a", "b", "c"])
    }

    @Test func backupCycleStopsAndGeneralSelectionFollows() {
        let assigner = VendorAssigner(vendors: [
            F.vendor("a") { $0.backup = "b"; $0.enabled = false },
            F.vendor("b") { $0.backup = "a"; $0.enabled = false },
            F.vendor("c"),
        ])
        let result = assigner.assign(F.request(pinned: "a"))
        #expect(result.vendor?.name == "c")
        #expect(result.route == .highestScore)
        #expect(
            Array(result.reasons.prefix(4)) == [
                "candidate 'a' (named by rule): excluded: disabled (maintenance)",
                "candidate 'b' (backup of 'a'): excluded: disabled (maintenance)",
                "backup chain of 'a' loops back to 'a'; the chain stops",
                "no eligible vendor in the backup chain of 'a'; general selection follows",
            ])
        #expect(result.reasons.last == "chose 'c': the only eligible vendor")
    }

    @Test func selfBackupAndMissingBackupAreSafe() {
        let own = VendorAssigner(vendors: [F.vendor("a") { $0.backup = "a"; $0.enabled = false }])
        let looped = own.assign(F.request(pinned: "a"))
        #expect(looped.toInternalQueue)
        #expect(looped.reasons.contains("backup chain of 'a' loops back to 'a'; the chain stops"))
        let missing = VendorAssigner(vendors: [F.vendor("a") { $0.backup = "ghost"; $0.enabled = false }, F.vendor("b")])
        let result = missing.assign(F.request(pinned: "a"))
        #expect(result.vendor?.name == "b")
        #expect(result.reasons.contains("backup 'ghost' of 'a' is not configured; the chain stops"))
    }

    @Test func unknownPinnedVendorFallsThroughToGeneralSelection() {
        let result = VendorAssigner(vendors: [F.vendor("a")]).assign(F.request(pinned: "nobody"))
        #expect(result.vendor?.name == "a")
        #expect(result.reasons.first == "rule names vendor 'nobody', which is not configured; general selection follows")
    }

    // MARK: Pool

    @Test func poolRestrictsCandidates() {
        let assigner = VendorAssigner(vendors: [F.vendor("a", cost: 100), F.vendor("b", cost: 50), F.vendor("c", skills: ["web"])])
        let result = assigner.assign(F.request(pool: ["a", "c"]))
        #expect(result.vendor?.name == "a")
        #expect(result.reasons.first == "vendor pool from rule: a, c")
        #expect(result.candidates.map(\.excluded) == [nil, "not in the rule's vendor pool", "no skill match for category 'database'"])
    }

    @Test func poolWithoutScopeNeedsNoSkill() {
        let assigner = VendorAssigner(vendors: [F.vendor("a", skills: []), F.vendor("b", skills: [])])
        let result = assigner.assign(F.request(category: nil, pool: ["b"]))
        #expect(result.vendor?.name == "b")
        let without = assigner.assign(F.request(category: nil))
        #expect(without.toInternalQueue)
    }

    // MARK: Scoring

    @Test func scoreIsTheWeightedMeanOfItsParts() throws {
        let assigner = VendorAssigner(vendors: [
            F.vendor("x", cost: 100) { $0.capacity = 10 },
            F.vendor("y", cost: 50),
            F.vendor("z", skills: ["web"]),
        ])
        let states = [
            "x": VendorState(openIncidents: 5, attainment: 0.9, affinity: ["billing": 4]),
            "y": VendorState(openIncidents: 1, affinity: ["billing": 8]),
        ]
        let result = assigner.assign(F.request(service: "billing"), states: states)
        #expect(result.vendor?.name == "x")
        #expect(
            result.reasons == [
                "candidate 'x': score 0.66 (attainment 0.36, load 0.15, cost 0.10, affinity 0.05)",
                "candidate 'y': score 0.65 (attainment 0.20, load 0.15, cost 0.20, affinity 0.10)",
                "candidate 'z': excluded: no skill match for category 'database', service 'billing'",
                "chose 'x': highest score",
            ])
        let x = result.candidates[0]
        #expect(abs((x.score ?? 0) - 0.66) < 1e-9)
        for (part, value) in [("attainment", 0.36), ("load", 0.15), ("cost", 0.10), ("affinity", 0.05)] {
            #expect(abs(try #require(x.parts[part]) - value) < 1e-9)
        }
        #expect(result.candidates[2].score == nil)
    }

    @Test func costFollowsThePriority() {
        let only = AssignmentWeights(attainment: 0, load: 0, cost: 1, affinity: 0)
        let assigner = VendorAssigner(
            vendors: [F.vendor("a", cost: 100) { $0.costByPriority = [.p1: 300] }, F.vendor("b", cost: 200)], weights: only)
        #expect(assigner.assign(F.request(priority: .p3)).vendor?.name == "a")
        #expect(assigner.assign(F.request(priority: .p1)).vendor?.name == "b")
    }

    @Test func tiesGoToLowerCostThenName() {
        let noCost = AssignmentWeights(cost: 0)
        let byCost = VendorAssigner(vendors: [F.vendor("dear", cost: 80), F.vendor("cheap", cost: 50)], weights: noCost)
        #expect(byCost.assign(F.request()).reasons.last == "chose 'cheap': highest score, tied with 'dear'; lower cost (50 vs 80)")
        let byName = VendorAssigner(vendors: [F.vendor("b"), F.vendor("c"), F.vendor("a")])
        #expect(byName.assign(F.request()).reasons.last == "chose 'a': highest score, tied with 'b' at the same cost; first by name")
        for order in [["a", "b", "c"], ["c", "b", "a"], ["b", "a", "c"]] {
            let assigner = VendorAssigner(vendors: order.map { F.vendor($0) })
            #expect(assigner.assign(F.request()).vendor?.name == "a")
        }
    }

    @Test func explanationListsEveryCandidateThenTheChoice() {
        let vendors = (0..<6).map { i in F.vendor("v\(i)", skills: i % 2 == 0 ? ["database"] : ["web"], cost: Double(100 + i)) }
        let result = VendorAssigner(vendors: vendors).assign(F.request())
        #expect(result.reasons.count == 7)
        #expect(result.candidates.map(\.name) == vendors.map(\.name))
        #expect(result.reasons.last == "chose 'v0': highest score")
        #expect(result.reasons[1] == "candidate 'v1': excluded: no skill match for category 'database'")
        let quiet = VendorAssigner(vendors: vendors).assign(F.request(), explain: false)
        #expect(quiet.vendor?.name == "v0")
        #expect(quiet.reasons.isEmpty && quiet.candidates.isEmpty)
    }

    // MARK: Share groups

    @Test func shareGroupSplitsSeventyThirtyOverAThousandIncidents() {
        let assigner = VendorAssigner(vendors: [
            F.vendor("alpha", cost: 100) { $0.shareGroup = "bench"; $0.share = 70 },
            F.vendor("beta", cost: 80) { $0.shareGroup = "bench"; $0.share = 30 },
        ])
        var states = ["alpha": VendorState(), "beta": VendorState()]
        for _ in 0..<1000 {
            let result = assigner.assign(F.request(), states: states, explain: false)
            #expect(result.route == .shareSplit)
            guard let name = result.vendor?.name else { return }
            states[name, default: VendorState()].assigned += 1
        }
        let alpha = states["alpha"]?.assigned ?? 0
        #expect((680...720).contains(alpha))
        #expect(alpha + (states["beta"]?.assigned ?? 0) == 1000)
        let next = assigner.assign(F.request(), states: states)
        #expect(
            next.reasons.last
                == "chose 'alpha': share group 'bench' split, furthest below its share (target 70.0%, had 70.0% of 1000 assigned); best score was 'beta'")
    }

    @Test func shareGroupAppliesOnlyWhenItsMemberScoresBest() {
        let assigner = VendorAssigner(vendors: [
            F.vendor("alpha", cost: 100) { $0.shareGroup = "bench"; $0.share = 70 },
            F.vendor("beta", cost: 100) { $0.shareGroup = "bench"; $0.share = 30 },
            F.vendor("solo", cost: 50),
        ])
        let result = assigner.assign(F.request())
        #expect(result.vendor?.name == "solo")
        #expect(result.route == .highestScore)
        let lone = VendorAssigner(vendors: [F.vendor("alpha") { $0.shareGroup = "bench"; $0.share = 70 }])
        #expect(lone.assign(F.request()).route == .highestScore)
    }

    // MARK: Default vendor and internal queue

    @Test func defaultVendorTakesWhatNobodyElseMay() {
        let assigner = VendorAssigner(vendors: [F.vendor("a"), F.vendor("desk", skills: [])], defaultVendor: "desk")
        let result = assigner.assign(F.request(category: "network"))
        #expect(result.vendor?.name == "desk")
        #expect(result.route == .defaultVendor)
        #expect(result.reasons.last == "chose default vendor 'desk': no other vendor was eligible")
        #expect(assigner.assign(F.request(category: nil)).vendor?.name == "desk")
    }

    @Test func internalQueueRaisesAnAlertWithEveryReason() {
        var weights = AssignmentWeights()
        weights.internalQueue = "noc"
        let assigner = VendorAssigner(
            vendors: [F.vendor("a") { $0.enabled = false }, F.vendor("b", skills: ["web"]), F.vendor("desk") { $0.capacity = 0 }],
            defaultVendor: "desk", weights: weights)
        for explain in [true, false] {
            let result = assigner.assign(F.request(category: "network"), explain: explain)
            #expect(result.vendor == nil)
            #expect(result.toInternalQueue)
            #expect(result.route == .internalQueue)
            #expect(
                result.reasons.last
                    == "ALERT: nobody eligible; routed to internal queue 'noc' (a: disabled (maintenance); "
                    + "b: no skill match for category 'network'; desk: no skill match for category 'network')")
        }
        let explained = assigner.assign(F.request(category: "network"))
        #expect(explained.reasons.contains("candidate 'desk' (default vendor): excluded: at capacity (0 of 0 open)"))
        let empty = VendorAssigner(vendors: []).assign(F.request())
        #expect(empty.reasons == ["no vendor is eligible", "no default vendor configured",
            "ALERT: nobody eligible; routed to internal queue 'triage-desk' (no vendors configured)"])
    }
}
