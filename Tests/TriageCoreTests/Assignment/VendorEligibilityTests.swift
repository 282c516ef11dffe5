import FoundationEssentials
import Testing

@testable import TriageCore

/// One check at a time: each vendor alone, eligible or excluded with the first failing reason.
struct VendorEligibilityTests {
    typealias F = AssignmentFixtures

    static let scoped = F.vendor("scoped", skills: ["Database"]) {
        $0.services = ["Billing"]
        $0.groups = ["DBA-Team"]
    }

    @Test(arguments: [
        ("database", nil, nil, nil),
        (nil, "billing", nil, nil),
        (nil, nil, "dba-team", nil),
        ("network", "billing", nil, nil),
        ("network", nil, nil, "no skill match for category 'network'"),
        ("network", "payroll", "ops", "no skill match for category 'network', service 'payroll', group 'ops'"),
        (nil, nil, nil, "no category, service or group to match"),
        ("", "", "", "no category, service or group to match"),
    ] as [(String?, String?, String?, String?)])
    func skillMatchesCategoryServiceOrGroup(_ category: String?, _ service: String?, _ group: String?, _ expected: String?) {
        let request = F.request(category: category, service: service, group: group)
        #expect(F.exclusion(Self.scoped, request) == expected)
    }

    @Test(arguments: [
        ([Priority.p3, .p4], Priority.p1, "does not accept P1 (accepts P3, P4)"),
        ([.p4, .p3], .p5, "does not accept P5 (accepts P3, P4)"),
        ([.p3, .p4], .p3, nil),
        ([], .p1, nil),
    ] as [([Priority], Priority, String?)])
    func acceptedPriorities(_ accepted: [Priority], _ priority: Priority, _ expected: String?) {
        let vendor = F.vendor("v") { $0.priorities = accepted }
        #expect(F.exclusion(vendor, F.request(priority: priority)) == expected)
    }

    @Test(arguments: [
        (nil, Priority.p3, nil),
        (VendorState(openIncidents: 2), .p3, nil),
        (VendorState(openIncidents: 3), .p3, "at capacity (3 of 3 open)"),
        (VendorState(openIncidents: 7), .p3, "at capacity (7 of 3 open)"),
        (VendorState(openIncidents: 1, openByPriority: [.p1: 1]), .p1, "at P1 capacity (1 of 1 open)"),
        (VendorState(openIncidents: 1, openByPriority: [.p1: 1]), .p2, nil),
        (VendorState(openIncidents: 1, openByPriority: [.p2: 5]), .p1, nil),
    ] as [(VendorState?, Priority, String?)])
    func capacityTotalAndPerPriority(_ state: VendorState?, _ priority: Priority, _ expected: String?) {
        let vendor = F.vendor("v") {
            $0.capacity = 3
            $0.capacityByPriority = [.p1: 1]
        }
        let states = state.map { ["v": $0] } ?? [:]
        #expect(F.exclusion(vendor, F.request(priority: priority), states: states) == expected)
    }

    @Test(arguments: [
        (F.utc(2025, 12, 31, 23, 59), "contract starts on 2026-01-01"),
        (F.utc(2026, 1, 1, 0, 0), nil),
        (F.utc(2026, 6, 30, 23, 59), nil),
        (F.utc(2026, 7, 1, 0, 0), "contract ended on 2026-06-30"),
        (F.utc(2027, 3, 1, 12, 0), "contract ended on 2026-06-30"),
    ] as [(Date, String?)])
    func contractDatesAreInclusiveInUTCWithoutCalendar(_ now: Date, _ expected: String?) {
        let vendor = F.vendor("v") {
            $0.contractStart = LocalDate(year: 2026, month: 1, day: 1)
            $0.contractEnd = LocalDate(year: 2026, month: 6, day: 30)
        }
        #expect(F.exclusion(vendor, F.request(now: now)) == expected)
    }

    @Test func openEndedContracts() {
        let started = F.vendor("v") { $0.contractStart = LocalDate(year: 2026, month: 1, day: 1) }
        #expect(F.exclusion(started, F.request(now: F.utc(2090, 1, 1))) == nil)
        let ending = F.vendor("v") { $0.contractEnd = LocalDate(year: 2026, month: 1, day: 5) }
        #expect(F.exclusion(ending, F.request(now: F.utc(2000, 1, 1))) == nil)
        #expect(F.exclusion(ending, F.request(now: F.utc(2026, 1, 6))) == "contract ended on 2026-01-05")
    }

    @Test func maintenanceSwitchExcludesEvenAPinnedVendor() {
        let vendor = F.vendor("v") { $0.enabled = false }
        #expect(F.exclusion(vendor, F.request()) == "disabled (maintenance)")
        let pinned = VendorAssigner(vendors: [vendor]).assign(F.request(pinned: "v"))
        #expect(pinned.vendor == nil)
        #expect(pinned.reasons.first == "candidate 'v' (named by rule): excluded: disabled (maintenance)")
    }

    @Test(arguments: [
        (["en", "fr"], "fr", nil),
        (["en", "fr"], "FR-ca", nil),
        (["en", "fr"], "fr_BE", nil),
        (["en", "fr"], "de", "does not work in 'de' (works in en, fr)"),
        (["en", "fr"], nil, nil),
        ([], "de", nil),
        (["en-GB"], "en-gb", nil),
        (["en-GB"], "en", "does not work in 'en' (works in en-GB)"),
    ] as [([String], String?, String?)])
    func language(_ spoken: [String], _ language: String?, _ expected: String?) {
        let vendor = F.vendor("v") { $0.languages = spoken }
        #expect(F.exclusion(vendor, F.request(language: language)) == expected)
    }

    @Test func checksRunInOrderAndTheFirstFailureIsReported() {
        let vendor = F.vendor("v", skills: ["web"]) {
            $0.priorities = [.p4]
            $0.contractEnd = LocalDate(year: 2025, month: 12, day: 31)
        }
        #expect(F.exclusion(vendor, F.request(priority: .p1)) == "contract ended on 2025-12-31")
        var disabled = vendor
        disabled.enabled = false
        #expect(F.exclusion(disabled, F.request(priority: .p1)) == "disabled (maintenance)")
        var current = vendor
        current.contractEnd = nil
        #expect(F.exclusion(current, F.request(priority: .p1)) == "does not accept P1 (accepts P4)")
        #expect(F.exclusion(current, F.request(priority: .p4)) == "no skill match for category 'database'")
    }
}
