import Foundation
import Testing

@testable import TriageCore

struct ClockRangeTests {
    @Test(arguments: [
        ("09:00-18:00", 540, 1080, false), ("22:00-06:00", 1320, 360, true), ("00:00-24:00", 0, 1440, false),
        ("9:30-17:00", 570, 1020, false), (" 09:00 - 18:00 ", 540, 1080, false), ("22:00-00:00", 1320, 1440, false),
        ("23:59-00:01", 1439, 1, true), ("00:00-00:01", 0, 1, false),
    ])
    func parses(_ text: String, _ start: Int, _ end: Int, _ crosses: Bool) throws {
        let range = try ClockRange.parse(text)
        #expect(range.start == start)
        #expect(range.end == end)
        #expect(range.crossesMidnight == crosses)
    }

    @Test(arguments: [
        ("", "time range '' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("09:00", "time range '09:00' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("9-18", "time range '9-18' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("0900-1800", "time range '0900-1800' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("09:00-18:00-20:00", "time range '09:00-18:00-20:00' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("ab:cd-ef:gh", "time range 'ab:cd-ef:gh' must look like 09:00-18:00 (HH:MM-HH:MM)"),
        ("25:00-26:00", "time range '25:00-26:00': '25:00' is not a time of day (00:00 … 23:59, or 24:00 as an end)"),
        ("09:60-10:00", "time range '09:60-10:00': '09:60' is not a time of day (00:00 … 23:59, or 24:00 as an end)"),
        ("09:00-24:01", "time range '09:00-24:01': '24:01' is not a time of day (00:00 … 23:59, or 24:00 as an end)"),
        ("24:00-06:00", "time range '24:00-06:00': 24:00 may only end a range"),
        ("09:00-09:00", "time range '09:00-09:00' is empty (00:00-24:00 is the whole day)"),
        ("00:00-00:00", "time range '00:00-00:00' is empty (00:00-24:00 is the whole day)"),
    ])
    func rejects(_ text: String, _ message: String) {
        #expect(throws: ZoneRulesError(message)) { try ClockRange.parse(text) }
    }

    @Test func containsMinutesOnEitherSideOfMidnight() throws {
        let night = try ClockRange.parse("22:00-06:00")
        #expect(night.contains(minuteOfDay: 1320))
        #expect(night.contains(minuteOfDay: 0))
        #expect(night.contains(minuteOfDay: 359))
        #expect(!night.contains(minuteOfDay: 360))
        #expect(!night.contains(minuteOfDay: 1319))
        let day = try ClockRange.parse("09:00-18:00")
        #expect(day.contains(minuteOfDay: 540) && day.contains(minuteOfDay: 1079))
        #expect(!day.contains(minuteOfDay: 539) && !day.contains(minuteOfDay: 1080))
        let whole = try ClockRange.parse("00:00-24:00")
        #expect(whole.contains(minuteOfDay: 0) && whole.contains(minuteOfDay: 1439))
        #expect("\(night)" == "22:00-06:00")
        #expect("\(whole)" == "00:00-24:00")
        #expect(ClockRange(start: 0, end: 1441) == nil)
        #expect(ClockRange(start: 1440, end: 60) == nil)
        #expect(ClockRange(start: 60, end: 60) == nil)
    }
}

/// Business hours in Paris (its 2026 rules as a POSIX string, so no zone files are needed).
struct BusinessCalendarTests {
    static let paris = try! ZoneRules(posixTZ: "CET-1CEST,M3.5.0,M10.5.0/3", identifier: "Europe/Paris")

    /// Mon–Fri 09:00–18:00, plus Thursday 23:00–02:00 and Friday 22:00–06:00 overnight; 2026-12-25
    /// (a Friday) is a holiday.
    static func office() throws -> BusinessCalendar {
        let day = try ClockRange.parse("09:00-18:00")
        var weekly: [Weekday: [ClockRange]] = [:]
        for weekday in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] { weekly[weekday] = [day] }
        weekly[.thursday]?.append(try ClockRange.parse("23:00-02:00"))
        weekly[.friday]?.append(try ClockRange.parse("22:00-06:00"))
        let christmas = try #require(LocalDate(parsing: "2026-12-25"))
        return BusinessCalendar(name: "paris-office", zone: paris, weekly: weekly, holidays: [christmas])
    }

    @Test(arguments: [
        // Weekday (winter, UTC+1): 09:00 and 17:59 local open, 08:59 and 18:00 closed.
        ("2026-12-01T08:00:00Z", true), ("2026-12-01T16:59:59Z", true),
        ("2026-12-01T07:59:59Z", false), ("2026-12-01T17:00:00Z", false),
        // Weekend: Saturday 2026-06-13 at 12:00 local closed, Sunday closed.
        ("2026-06-13T10:00:00Z", false), ("2026-06-14T10:00:00Z", false),
        // Across midnight: Friday 22:00–06:00 covers Saturday until 06:00 (summer, UTC+2).
        ("2026-06-12T19:59:59Z", false), ("2026-06-12T20:00:00Z", true), ("2026-06-12T22:00:00Z", true),
        ("2026-06-13T03:59:59Z", true), ("2026-06-13T04:00:00Z", false),
        // Thursday's 23:00–02:00 reaches into Friday morning; Friday 02:00 is closed again.
        ("2026-06-11T23:30:00Z", true), ("2026-06-12T00:00:00Z", false),
        // Holiday, Friday 2026-12-25 (UTC+1): the whole local day is closed, including Thursday's
        // tail at 01:00 and Friday's own ranges, and Friday's night range's tail on Saturday.
        ("2026-12-25T00:30:00Z", false), ("2026-12-25T09:00:00Z", false), ("2026-12-25T21:30:00Z", false),
        ("2026-12-26T01:00:00Z", false),
        // The week before, the same instants are open.
        ("2026-12-18T00:30:00Z", true), ("2026-12-18T09:00:00Z", true), ("2026-12-18T21:30:00Z", true),
        ("2026-12-19T01:00:00Z", true),
        // Open again on Monday after the holiday.
        ("2026-12-28T08:00:00Z", true),
        // Across the DST change: 09:00 local is 08:00 UTC in March before the change, 07:00 after.
        ("2026-03-27T07:30:00Z", false), ("2026-03-27T08:00:00Z", true),
        ("2026-03-30T06:59:59Z", false), ("2026-03-30T07:00:00Z", true), ("2026-03-30T15:59:59Z", true),
        ("2026-03-30T16:00:00Z", false),
    ])
    func openOrClosed(_ instant: String, _ open: Bool) throws {
        #expect(try Self.office().isOpen(at: ZoneFiles.at(instant)) == open)
    }

    @Test func overnightRangeAcrossDaylightSavingChanges() throws {
        let night = BusinessCalendar(
            name: "night", zone: Self.paris, weekly: [.saturday: [try ClockRange.parse("22:00-06:00")]])
        // Spring forward (2026-03-29 02:00 → 03:00): 22:00 CET to 06:00 CEST, seven hours.
        #expect(!night.isOpen(at: ZoneFiles.at("2026-03-28T20:59:59Z")))
        #expect(night.isOpen(at: ZoneFiles.at("2026-03-28T21:00:00Z")))
        #expect(night.isOpen(at: ZoneFiles.at("2026-03-29T00:59:59Z")))  // 01:59:59 CET
        #expect(night.isOpen(at: ZoneFiles.at("2026-03-29T01:00:00Z")))  // 03:00 CEST
        #expect(night.isOpen(at: ZoneFiles.at("2026-03-29T03:59:59Z")))  // 05:59:59 CEST
        #expect(!night.isOpen(at: ZoneFiles.at("2026-03-29T04:00:00Z")))  // 06:00 CEST
        // Fall back (2026-10-25 03:00 → 02:00): 02:30 happens twice, open both times; nine hours.
        #expect(night.isOpen(at: ZoneFiles.at("2026-10-24T20:00:00Z")))  // 22:00 CEST
        #expect(night.isOpen(at: ZoneFiles.at("2026-10-25T00:30:00Z")))  // 02:30 CEST
        #expect(night.isOpen(at: ZoneFiles.at("2026-10-25T01:30:00Z")))  // 02:30 CET
        #expect(night.isOpen(at: ZoneFiles.at("2026-10-25T04:59:59Z")))  // 05:59:59 CET
        #expect(!night.isOpen(at: ZoneFiles.at("2026-10-25T05:00:00Z")))  // 06:00 CET
        // Minute by minute the night lasts 7 h in March and 9 h in October.
        func openMinutes(from start: String) -> Int {
            let first = ZoneFiles.at(start)
            return (0..<(24 * 60)).filter { night.isOpen(at: first.addingTimeInterval(TimeInterval($0 * 60))) }.count
        }
        #expect(openMinutes(from: "2026-03-28T12:00:00Z") == 7 * 60)
        #expect(openMinutes(from: "2026-10-24T12:00:00Z") == 9 * 60)
    }

    @Test func alwaysOpenIgnoresHoursAndHolidays() throws {
        var calendar = try Self.office()
        calendar.alwaysOpen = true
        #expect(calendar.isOpen(at: ZoneFiles.at("2026-12-25T12:00:00Z")))
        #expect(calendar.isOpen(at: ZoneFiles.at("2026-06-14T03:00:00Z")))
        #expect(BusinessCalendar.twentyFourSeven().isOpen(at: Date(timeIntervalSince1970: 0)))
        let closed = BusinessCalendar(name: "never", zone: .utc, weekly: [:])
        #expect(!closed.isOpen(at: ZoneFiles.at("2026-06-10T12:00:00Z")))
    }

    @Test func fixedOffsetZoneAndLocalTimes() throws {
        // Kolkata hours without zone files: +05:30 all year.
        let kolkata = ZoneRules(fixedOffsetSeconds: 19_800, identifier: "+05:30")
        let hours = BusinessCalendar(
            name: "bangalore", zone: kolkata, weekly: [.monday: [try ClockRange.parse("09:30-18:30")]])
        #expect(!hours.isOpen(at: ZoneFiles.at("2026-06-08T03:59:59Z")))  // Monday 09:29:59
        #expect(hours.isOpen(at: ZoneFiles.at("2026-06-08T04:00:00Z")))  // Monday 09:30
        #expect(hours.isOpen(at: ZoneFiles.at("2026-06-08T12:59:59Z")))  // Monday 18:29:59
        #expect(!hours.isOpen(at: ZoneFiles.at("2026-06-08T13:00:00Z")))  // Monday 18:30
        #expect(hours.isOpen(atLocal: LocalDateTime(year: 2026, month: 6, day: 8, hour: 12)))
        #expect(!hours.isOpen(atLocal: LocalDateTime(year: 2026, month: 6, day: 9, hour: 12)))
        #expect(kolkata.weekday(at: ZoneFiles.at("2026-06-07T19:00:00Z")) == .monday)  // 00:30 Monday
        #expect(kolkata.minuteOfDay(at: ZoneFiles.at("2026-06-07T19:00:00Z")) == 30)
    }
}
