import FoundationEssentials
import Testing

@testable import TriageCore

struct TriagePolicyTests {
    static let acme = Vendor(
        name: "acme", endpoint: "http://127.0.0.1:1/acme", skills: ["database"], cost: 120,
        contract: Contract(targets: [.p1: SLATarget(acknowledge: .seconds(900), resolve: .seconds(14_400))]))
    static let globex = Vendor(name: "globex", endpoint: "http://127.0.0.1:1/globex", skills: ["database", "network"], cost: 90)
    static let initech = Vendor(name: "initech", endpoint: "http://127.0.0.1:1/initech", skills: ["web"], cost: 60)

    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func request(_ category: String?, pinned: String? = nil) -> AssignmentRequest {
        AssignmentRequest(category: category, priority: .p3, pinned: pinned, now: now)
    }

    @Test func cheapestSkilledVendorWinsWhenNoRuleNamesOne() {
        let assigner = VendorAssigner(vendors: [Self.acme, Self.globex, Self.initech])
        let result = assigner.assign(Self.request("database"))
        #expect(result.vendor?.name == "globex")
        #expect(
            result.reasons == [
                "candidate 'acme': score 0.65 (attainment 0.20, load 0.30, cost 0.15, affinity 0.00)",
                "candidate 'globex': score 0.70 (attainment 0.20, load 0.30, cost 0.20, affinity 0.00)",
                "candidate 'initech': excluded: no skill match for category 'database'",
                "chose 'globex': highest score",
            ])
    }

    @Test func aVendorDisabledByAnOperatorIsSkippedWithTheReason() {
        let assigner = VendorAssigner(vendors: [Self.acme, Self.globex, Self.initech])
        let states = ["globex": VendorState(disabledBecause: "outage at globex (jane)")]
        let result = assigner.assign(Self.request("database"), states: states)
        #expect(result.vendor?.name == "acme")
        #expect(result.reasons.contains("candidate 'globex': excluded: disabled by an operator: outage at globex (jane)"))
        // A rule naming it falls back to general selection too.
        let pinned = assigner.assign(Self.request("database", pinned: "globex"), states: states)
        #expect(pinned.vendor?.name == "acme")
        // Enabled again: back to the cheapest.
        #expect(assigner.assign(Self.request("database"), states: ["globex": VendorState()]).vendor?.name == "globex")
    }

    @Test func ruleVendorWinsAndUnknownVendorIsReported() {
        let assigner = VendorAssigner(vendors: [Self.acme, Self.globex])
        #expect(assigner.assign(Self.request("database", pinned: "acme")).vendor?.name == "acme")
        let result = assigner.assign(Self.request("database", pinned: "nobody"))
        #expect(result.vendor?.name == "globex")
        #expect(result.reasons[0] == "rule names vendor 'nobody', which is not configured; general selection follows")
    }

    @Test func fallsBackToDefaultVendorThenToTheInternalQueue() {
        let withDefault = VendorAssigner(vendors: [Self.acme, Self.initech], defaultVendor: "initech")
        #expect(withDefault.assign(Self.request("network")).vendor?.name == "initech")
        #expect(withDefault.assign(Self.request(nil)).vendor?.name == "initech")
        let without = VendorAssigner(vendors: [Self.acme])
        let result = without.assign(Self.request(nil))
        #expect(result.vendor == nil)
        #expect(result.toInternalQueue)
        #expect(
            result.reasons.last
                == "ALERT: nobody eligible; routed to internal queue 'triage-desk' (acme: no category, service or group to match)")
    }

    @Test func decisionCarriesRulesPrioritySlaAndExplanation() throws {
        let policy = TriagePolicy(
            rules: RuleSet(rules: [
                Rule(name: "db", when: .text(.text, .containsAny(["database"])),
                     then: RuleActions(category: "database", priority: .p1, vendor: "acme"))
            ]),
            vendors: [Self.acme, Self.globex])
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let decision = policy.triage(makeIncident(title: "database down"), now: now)
        #expect(decision.category == "database")
        #expect(decision.priority == .p1)
        #expect(decision.vendor == "acme")
        #expect(!decision.abstained)
        let sla = try #require(decision.sla)
        #expect(sla.acknowledgeBy == now.addingTimeInterval(900))
        #expect(sla.resolveBy == now.addingTimeInterval(14_400))
        #expect(decision.explanation.contains("vendor 'acme' named by rule"))
        #expect(decision.explanation.contains(
            "SLA P1 from 'acme' contract: acknowledge within 15m around the clock, by 2026-09-21T14:28:20.000Z; "
                + "resolve within 4h around the clock, by 2026-09-21T18:13:20.000Z"))
        // The clocks' first timers: both deadlines, nothing else without a ladder.
        #expect(sla.plannedTimers.map(\.key) == ["acknowledge/-1/0", "resolve/-1/0"])
    }

    @Test func abstainsWhenNoRuleClassifiesAndDerivesPriorityFromSeverity() {
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [Self.acme])
        let decision = policy.triage(makeIncident(title: "odd thing", severity: .error), now: Date(timeIntervalSince1970: 0))
        #expect(decision.abstained)
        #expect(decision.category == nil)
        #expect(decision.priority == .p2)
        #expect(decision.vendor == nil)
        #expect(decision.sla == nil)
        #expect(decision.explanation.contains("classification abstained: no rule set a category"))
    }

    @Test func vendorWithoutTargetForPriorityStartsNoClock() {
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [Self.globex], defaultVendor: "globex")
        let decision = policy.triage(makeIncident(severity: .critical), now: Date(timeIntervalSince1970: 0))
        #expect(decision.vendor == "globex")
        #expect(decision.sla == nil)
        #expect(decision.explanation.last == "'globex' contract has no SLA target for P1; no clock started")
    }
}

struct DeliveryPolicyTests {
    @Test func backoffDoublesUpToTheCapAndStopsAtMaxAttempts() {
        let policy = RetryPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(5), maxAttempts: 5, jitter: 0)
        #expect(policy.delay(afterAttempt: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2) == .seconds(2))
        #expect(policy.delay(afterAttempt: 3) == .seconds(4))
        #expect(policy.delay(afterAttempt: 4) == .seconds(5))
        #expect(policy.delay(afterAttempt: 5) == nil)
    }

    @Test func jitterAddsAtMostTheFractionAndIsStablePerSeed() throws {
        let policy = RetryPolicy(initial: .seconds(10), maxAttempts: 3, jitter: 0.2)
        let delays = (0..<200).map { policy.delay(afterAttempt: 1, seed: UInt64($0))! }
        #expect(delays.allSatisfy { $0 >= .seconds(10) && $0 <= .seconds(12) })
        #expect(Set(delays).count > 50)
        #expect(policy.delay(afterAttempt: 1, seed: 42) == policy.delay(afterAttempt: 1, seed: 42))
    }

    @Test(arguments: [
        (200, nil, nil), (204, nil, nil), (301, DeliveryFailure.Reason.clientError, false),
        (400, .clientError, false), (401, .auth, false), (403, .auth, false), (404, .clientError, false),
        (408, .timeout, true), (429, .rateLimited, true), (500, .serverError, true), (503, .serverError, true),
    ] as [(Int, DeliveryFailure.Reason?, Bool?)])
    func classifiesHTTPStatuses(_ status: Int, _ reason: DeliveryFailure.Reason?, _ retryable: Bool?) {
        let failure = DeliveryFailure.classify(status: status)
        #expect(failure?.reason == reason)
        #expect(failure?.isRetryable == retryable)
    }
}
