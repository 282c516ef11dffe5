import FoundationEssentials
import Testing

@testable import TriageCore

/// Vendors, requests and instants for the assignment tests.
enum AssignmentFixtures {
    /// Monday 2026-01-05 12:00 UTC.
    static let noon = RuleFixtures.noon

    /// The instant `y-m-d h:min` UTC.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        ZoneRules.utc.instant(of: LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute))
    }

    static func vendor(
        _ name: String, skills: [String] = ["database"], cost: Double = 100, _ configure: (inout Vendor) -> Void = { _ in }
    ) -> Vendor {
        var vendor = Vendor(name: name, endpoint: "http://127.0.0.1:1/\(name)", skills: skills, cost: cost)
        configure(&vendor)
        return vendor
    }

    static func request(
        category: String? = "database", service: String? = nil, group: String? = nil, language: String? = nil,
        priority: Priority = .p3, pinned: String? = nil, pool: [String] = [], now: Date = noon
    ) -> AssignmentRequest {
        AssignmentRequest(
            category: category, service: service, group: group, language: language, priority: priority, pinned: pinned,
            pool: pool, now: now)
    }

    /// Monday to Friday 09:00-18:00 in `zone`.
    static func officeHours(_ name: String, _ zone: ZoneRules, holidays: Set<LocalDate> = []) -> BusinessCalendar {
        let hours = ClockRange(start: 9 * 60, end: 18 * 60)!
        let days: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        return BusinessCalendar(
            name: name, zone: zone, weekly: Dictionary(uniqueKeysWithValues: days.map { ($0, [hours]) }), holidays: holidays)
    }

    /// Why `vendor`, alone, is not eligible in general selection (`nil` when it is chosen).
    static func exclusion(
        _ vendor: Vendor, _ request: AssignmentRequest, states: [String: VendorState] = [:]
    ) -> String? {
        let result = VendorAssigner(vendors: [vendor]).assign(request, states: states)
        if result.vendor?.name == vendor.name { return nil }
        return result.candidates.first?.excluded ?? "not reported"
    }
}
