import FoundationEssentials
import Testing

@testable import TriageCore

/// Business hours and contract days in the vendor calendar's own zone (real zoneinfo).
@Suite(.enabled(if: RuleFixtures.hasZoneinfo, "no /usr/share/zoneinfo on this machine"))
struct BusinessHoursAssignmentTests {
    typealias F = AssignmentFixtures

    static func paris() -> Vendor {
        F.vendor("paris") {
            $0.calendar = F.officeHours(
                "paris-office", RuleFixtures.zone("Europe/Paris")!, holidays: [LocalDate(year: 2026, month: 5, day: 1)])
        }
    }

    static func newYork() -> Vendor {
        F.vendor("new-york") { $0.calendar = F.officeHours("ny-office", RuleFixtures.zone("America/New_York")!) }
    }

    static let closedP1 = "outside business hours (calendar 'paris-office', required for P1)"

    @Test(arguments: [
        (F.utc(2026, 1, 5, 8, 30), Priority.p1, nil),  // 09:30 CET, Monday
        (F.utc(2026, 1, 5, 7, 30), .p1, closedP1),  // 08:30 CET
        (F.utc(2026, 1, 5, 16, 59), .p1, nil),  // 17:59 CET
        (F.utc(2026, 1, 5, 17, 0), .p1, closedP1),  // 18:00 CET
        (F.utc(2026, 7, 6, 7, 30), .p1, nil),  // 09:30 CEST: summer time
        (F.utc(2026, 7, 6, 16, 30), .p1, closedP1),  // 18:30 CEST
        (F.utc(2026, 5, 1, 10, 0), .p1, closedP1),  // Friday 1 May, a holiday
        (F.utc(2026, 1, 10, 10, 0), .p2, "outside business hours (calendar 'paris-office', required for P2)"),  // Saturday
        (F.utc(2026, 1, 10, 10, 0), .p3, nil),  // P3 needs no one at work
    ] as [(Date, Priority, String?)])
    func parisOfficeHours(_ now: Date, _ priority: Priority, _ expected: String?) {
        #expect(F.exclusion(Self.paris(), F.request(priority: priority, now: now)) == expected)
    }

    @Test func theSameInstantIsOpenInOneZoneAndClosedInAnother() {
        let now = F.utc(2026, 1, 5, 17, 30)  // 18:30 in Paris, 12:30 in New York
        let assigner = VendorAssigner(vendors: [Self.paris(), Self.newYork()])
        let result = assigner.assign(F.request(priority: .p1, now: now))
        #expect(result.vendor?.name == "new-york")
        #expect(result.candidates[0].excluded == Self.closedP1)
        let early = assigner.assign(F.request(priority: .p1, now: F.utc(2026, 1, 5, 9, 0)))  // 10:00 Paris, 04:00 NY
        #expect(early.vendor?.name == "paris")
        #expect(early.candidates[1].excluded == "outside business hours (calendar 'ny-office', required for P1)")
    }

    @Test func hoursRequiredForIsConfigurable() {
        var vendor = Self.paris()
        vendor.hoursRequiredFor = [.p1, .p2, .p3]
        #expect(F.exclusion(vendor, F.request(priority: .p3, now: F.utc(2026, 1, 10, 10, 0))) != nil)
        vendor.hoursRequiredFor = []
        #expect(F.exclusion(vendor, F.request(priority: .p1, now: F.utc(2026, 1, 10, 10, 0))) == nil)
    }

    @Test func contractDaysFollowTheCalendarZone() {
        var vendor = Self.paris()
        vendor.contractEnd = LocalDate(year: 2026, month: 6, day: 30)
        vendor.contractStart = LocalDate(year: 2026, month: 1, day: 1)
        // 22:30 UTC on 30 June is already 1 July in Paris; 23:30 UTC on 31 December is 1 January.
        #expect(F.exclusion(vendor, F.request(now: F.utc(2026, 6, 30, 22, 30))) == "contract ended on 2026-06-30")
        #expect(F.exclusion(vendor, F.request(now: F.utc(2026, 6, 30, 21, 30))) == nil)
        #expect(F.exclusion(vendor, F.request(now: F.utc(2025, 12, 31, 23, 30))) == nil)
        #expect(F.exclusion(vendor, F.request(now: F.utc(2025, 12, 31, 22, 30))) == "contract starts on 2026-01-01")
    }
}
