import FoundationEssentials
import Testing

@testable import TriageCore

/// Time conditions in named zones: across a DST change and across midnight in another zone.
@Suite(.enabled(if: RuleFixtures.hasZoneinfo, "no /usr/share/zoneinfo on this machine"))
struct TimeConditionTests {
    func date(_ text: String) -> Date { RFC3339.parse(text)! }

    func resources() throws -> RuleSet.Resources {
        let paris = try #require(RuleFixtures.zone("Europe/Paris"))
        let tokyo = try #require(RuleFixtures.zone("Asia/Tokyo"))
        let office = BusinessCalendar(
            name: "office", zone: paris,
            weekly: [.monday: [try ClockRange.parse("09:00-18:00")], .friday: [try ClockRange.parse("22:00-06:00")]],
            holidays: [LocalDate(parsing: "2026-12-25")!], alwaysOpen: false)
        return RuleSet.Resources(calendars: ["office": office], zones: ["Europe/Paris": paris, "Asia/Tokyo": tokyo])
    }

    @Test func weekdaysAcrossMidnightInAnotherZone() throws {
        let weekend = Condition.time(.weekdays([.saturday, .sunday], zone: "Asia/Tokyo"))
        let r = try resources()
        // Friday 2026-01-09 16:00 UTC is Saturday 01:00 in Tokyo.
        #expect(RuleFixtures.holds(weekend, makeIncident(), at: date("2026-01-09T16:00:00Z"), resources: r))
        // Friday 14:59 UTC is Friday 23:59 in Tokyo.
        #expect(!RuleFixtures.holds(weekend, makeIncident(), at: date("2026-01-09T14:59:00Z"), resources: r))
        #expect(
            RuleFixtures.reason(weekend, makeIncident(), at: date("2026-01-09T14:59:00Z"), resources: r)
                .hasPrefix("it is friday in Asia/Tokyo"))
    }

    @Test func rangeCrossingMidnight() throws {
        let night = Condition.time(.between(try ClockRange.parse("22:00-06:00"), zone: "Europe/Paris"))
        let r = try resources()
        for (instant, expected) in [
            ("2026-01-05T21:30:00Z", true),  // 22:30 in Paris (CET, +1)
            ("2026-01-05T04:59:00Z", true),  // 05:59
            ("2026-01-05T05:00:00Z", false),  // 06:00: the end is exclusive
            ("2026-01-05T12:00:00Z", false),
            ("2026-07-06T20:30:00Z", true),  // 22:30 in Paris in summer (CEST, +2)
            ("2026-07-06T19:30:00Z", false),  // 21:30 in summer
        ] {
            #expect(RuleFixtures.holds(night, makeIncident(), at: date(instant), resources: r) == expected, "\(instant)")
        }
    }

    @Test func acrossTheSpringDSTChange() throws {
        // Paris moves from 02:00 CET to 03:00 CEST at 2026-03-29 01:00 UTC.
        let earlyMorning = Condition.time(.between(try ClockRange.parse("02:00-03:00"), zone: "Europe/Paris"))
        let r = try resources()
        #expect(RuleFixtures.holds(earlyMorning, makeIncident(), at: date("2026-03-29T00:59:00Z"), resources: r) == false)  // 01:59 CET
        #expect(RuleFixtures.holds(earlyMorning, makeIncident(), at: date("2026-03-29T01:00:00Z"), resources: r) == false)  // 03:00 CEST
        #expect(RuleFixtures.holds(earlyMorning, makeIncident(), at: date("2026-03-28T01:30:00Z"), resources: r))  // the day before, 02:30 CET
        let nineToSix = Condition.time(.between(try ClockRange.parse("09:00-18:00"), zone: "Europe/Paris"))
        #expect(RuleFixtures.holds(nineToSix, makeIncident(), at: date("2026-03-30T07:30:00Z"), resources: r))  // 09:30 CEST
        #expect(!RuleFixtures.holds(nineToSix, makeIncident(), at: date("2026-03-27T07:30:00Z"), resources: r))  // 08:30 CET
    }

    @Test func calendarsAndDates() throws {
        let r = try resources()
        let inside = Condition.time(.calendar("office", inside: true))
        #expect(RuleFixtures.holds(inside, makeIncident(), at: date("2026-01-05T08:00:00Z"), resources: r))  // Mon 09:00 Paris
        #expect(!RuleFixtures.holds(inside, makeIncident(), at: date("2026-01-06T08:00:00Z"), resources: r))  // Tuesday: no hours
        // Friday's 22:00-06:00 shift reaches into Saturday morning.
        #expect(RuleFixtures.holds(inside, makeIncident(), at: date("2026-01-10T03:00:00Z"), resources: r))  // Sat 04:00 Paris
        #expect(RuleFixtures.holds(.time(.calendar("office", inside: false)), makeIncident(), at: date("2026-01-06T08:00:00Z"), resources: r))
        let christmas = Condition.time(.dates([LocalDate(parsing: "2026-12-24")!...LocalDate(parsing: "2026-12-26")!], zone: "Europe/Paris"))
        #expect(RuleFixtures.holds(christmas, makeIncident(), at: date("2026-12-23T23:30:00Z"), resources: r))  // 00:30 on the 24th in Paris
        #expect(!RuleFixtures.holds(christmas, makeIncident(), at: date("2026-12-26T23:30:00Z"), resources: r))  // the 27th
    }
}
