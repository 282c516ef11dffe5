import Foundation
import Testing

@testable import TriageCore

/// Business-time arithmetic (`openIntervals`, `businessDuration`, `adding`): tables worked out by
/// hand, then properties against a brute-force reference that walks minute by minute with
/// `isOpen(at:)`.
@Suite(.enabled(
    if: ZoneFiles.available("Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney"),
    "needs Europe/Paris, America/New_York, Asia/Kolkata and Australia/Sydney in /usr/share/zoneinfo"))
struct BusinessArithmeticTests {
    static let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]

    /// The calendars of the tables, by name.
    static func calendar(_ name: String) throws -> BusinessCalendar {
        func every(_ days: [Weekday], _ text: String) throws -> [Weekday: [ClockRange]] {
            let range = try ClockRange.parse(text)
            return Dictionary(uniqueKeysWithValues: days.map { ($0, [range]) })
        }
        let christmas = try #require(LocalDate(parsing: "2026-12-25"))
        let newYear = try #require(LocalDate(parsing: "2027-01-01"))
        switch name {
        case "paris-office":
            // Mon–Fri 09:00–18:00; Friday 2026-12-25 is a holiday.
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("Europe/Paris"), weekly: try every(weekdays, "09:00-18:00"),
                holidays: [christmas])
        case "paris-everyday":
            // Every day 09:00–18:00 but New Year's Day (a Friday).
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("Europe/Paris"),
                weekly: try every(Weekday.allCases, "09:00-18:00"), holidays: [newYear])
        case "paris-wall":
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("Europe/Paris"), weekly: try every(Weekday.allCases, "00:00-24:00"))
        case "paris-night":
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("Europe/Paris"), weekly: try every(Weekday.allCases, "22:00-06:00"))
        case "kolkata-office":
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("Asia/Kolkata"), weekly: try every(weekdays, "09:00-18:00"))
        case "ny-office":
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("America/New_York"), weekly: try every(weekdays, "09:00-17:00"))
        case "ny-wall":
            return BusinessCalendar(
                name: name, zone: try ZoneFiles.rules("America/New_York"),
                weekly: try every(Weekday.allCases, "00:00-24:00"))
        default:
            throw ZoneRulesError("no test calendar '\(name)'")
        }
    }

    static func at(_ text: String) -> Date { ZoneFiles.at(text) }

    // MARK: Tables

    @Test(arguments: [
        // The P2 of the documentation: 20 min on Friday, 3 h 40 on Monday from 09:00.
        ("paris-office", "2026-06-12T17:40:00+02:00", 4 * 60, "2026-06-15T12:40:00+02:00"),
        // The same ticket for a vendor in Kolkata (Mon–Fri 09:00–18:00 IST, UTC+05:30, no DST):
        // Friday 17:40 in Paris is 15:40Z, 21:10 IST, after hours; nothing over the weekend; the
        // clock starts Monday 09:00 IST (03:30Z) and 4 hours later it is 13:00 IST (07:30Z, 09:30
        // in Paris).
        ("kolkata-office", "2026-06-12T17:40:00+02:00", 4 * 60, "2026-06-15T13:00:00+05:30"),
        // Five business days from Friday 17:40 is the next Friday 17:40.
        ("paris-office", "2026-06-12T17:40:00+02:00", 45 * 60, "2026-06-19T17:40:00+02:00"),
        // Starting exactly at opening: a full day ends exactly at closing, not the next morning.
        ("paris-office", "2026-06-15T09:00:00+02:00", 9 * 60, "2026-06-15T18:00:00+02:00"),
        // Starting exactly at closing: nothing left that day.
        ("paris-office", "2026-06-15T18:00:00+02:00", 60, "2026-06-16T10:00:00+02:00"),
        // Starting in closed hours: on Saturday, early on a weekday.
        ("paris-office", "2026-06-13T12:00:00+02:00", 2 * 60, "2026-06-15T11:00:00+02:00"),
        ("paris-office", "2026-06-16T06:30:00+02:00", 30, "2026-06-16T09:30:00+02:00"),
        // A zero budget is the start itself, even in closed hours.
        ("paris-office", "2026-06-13T12:00:00+02:00", 0, "2026-06-13T12:00:00+02:00"),
        // Across Paris's spring forward (2026-03-29) and fall back (2026-10-25): 09:00 stays 09:00.
        ("paris-office", "2026-03-27T17:00:00+01:00", 2 * 60, "2026-03-30T10:00:00+02:00"),
        ("paris-office", "2026-10-23T17:00:00+02:00", 2 * 60, "2026-10-26T10:00:00+01:00"),
        // Around the clock in wall time: 24 business hours from Saturday noon is Sunday 13:00 in
        // March (the day has 23 hours) and Sunday 11:00 in October (25 hours).
        ("paris-wall", "2026-03-28T12:00:00+01:00", 24 * 60, "2026-03-29T13:00:00+02:00"),
        ("paris-wall", "2026-10-24T12:00:00+02:00", 24 * 60, "2026-10-25T11:00:00+01:00"),
        // Nights 22:00–06:00: the night of the change lasts 7 h in March, so 8 h runs on to 23:00
        // the next evening; it lasts 9 h in October, so 8 h ends at 05:00 CET.
        ("paris-night", "2026-03-28T22:00:00+01:00", 8 * 60, "2026-03-29T23:00:00+02:00"),
        ("paris-night", "2026-10-24T22:00:00+02:00", 8 * 60, "2026-10-25T05:00:00+01:00"),
        // New York's changes (2026-03-08 and 2026-11-01).
        ("ny-office", "2026-03-06T16:00:00-05:00", 2 * 60, "2026-03-09T10:00:00-04:00"),
        ("ny-office", "2026-10-30T16:00:00-04:00", 2 * 60, "2026-11-02T10:00:00-05:00"),
        ("ny-wall", "2026-03-07T12:00:00-05:00", 24 * 60, "2026-03-08T13:00:00-04:00"),
        ("ny-wall", "2026-10-31T12:00:00-04:00", 24 * 60, "2026-11-01T11:00:00-05:00"),
        // Christmas (Friday 2026-12-25) is closed: 2 h on Thursday, the rest on Monday.
        ("paris-office", "2026-12-24T16:00:00+01:00", 4 * 60, "2026-12-28T11:00:00+01:00"),
        // Year end on a seven-day calendar with 2027-01-01 closed: 31 Dec → 2 Jan.
        ("paris-everyday", "2026-12-31T17:00:00+01:00", 2 * 60, "2027-01-02T10:00:00+01:00"),
    ])
    func deadlines(_ calendar: String, _ start: String, _ minutes: Int, _ due: String) throws {
        let hours = try Self.calendar(calendar)
        let deadline = hours.adding(.seconds(minutes * 60), to: Self.at(start))
        #expect(deadline == Self.at(due))
        #expect(hours.businessDuration(from: Self.at(start), to: Self.at(due)) == .seconds(minutes * 60))
    }

    @Test(arguments: [
        ("paris-office", "2026-06-12T17:40:00+02:00", "2026-06-15T12:40:00+02:00", 4 * 60),
        // A whole week: five days of nine hours; Christmas week has four.
        ("paris-office", "2026-06-15T00:00:00+02:00", "2026-06-22T00:00:00+02:00", 45 * 60),
        ("paris-office", "2026-12-21T00:00:00+01:00", "2026-12-28T00:00:00+01:00", 36 * 60),
        // Noon to noon across the change: 23 h and 25 h of open wall time; the night is 7 h and 9 h.
        ("paris-wall", "2026-03-28T12:00:00+01:00", "2026-03-29T12:00:00+02:00", 23 * 60),
        ("paris-wall", "2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00", 25 * 60),
        ("paris-night", "2026-03-28T12:00:00+01:00", "2026-03-29T12:00:00+02:00", 7 * 60),
        ("paris-night", "2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00", 9 * 60),
        ("ny-wall", "2026-03-07T12:00:00-05:00", "2026-03-08T12:00:00-04:00", 23 * 60),
        ("ny-wall", "2026-10-31T12:00:00-04:00", "2026-11-01T12:00:00-05:00", 25 * 60),
        // Year end: 31 Dec 09:00–18:00, then 2 Jan.
        ("paris-everyday", "2026-12-31T00:00:00+01:00", "2027-01-03T00:00:00+01:00", 18 * 60),
        // Empty and reversed windows.
        ("paris-office", "2026-06-15T10:00:00+02:00", "2026-06-15T10:00:00+02:00", 0),
        ("paris-office", "2026-06-15T12:00:00+02:00", "2026-06-15T10:00:00+02:00", 0),
    ])
    func durations(_ calendar: String, _ start: String, _ end: String, _ minutes: Int) throws {
        let hours = try Self.calendar(calendar)
        #expect(hours.businessDuration(from: Self.at(start), to: Self.at(end)) == .seconds(minutes * 60))
    }

    @Test func openIntervalsAcrossDaylightSavingChanges() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let sunday = BusinessCalendar(name: "sunday", zone: paris, weekly: [.sunday: [try ClockRange.parse("02:30-05:00")]])
        // Spring forward: 02:30 does not exist; the range opens when the gap ends (03:00 CEST, 01:00Z).
        #expect(
            sunday.openIntervals(from: Self.at("2026-03-28T00:00:00Z"), to: Self.at("2026-03-30T00:00:00Z"))
                == [Self.at("2026-03-29T01:00:00Z")..<Self.at("2026-03-29T03:00:00Z")])
        // Fall back: open from the first 02:30 (CEST) to the change, closed while the clock shows
        // 02:00–02:30 again, open from the second 02:30 (CET) to 05:00 CET.
        #expect(
            sunday.openIntervals(from: Self.at("2026-10-24T00:00:00Z"), to: Self.at("2026-10-26T00:00:00Z")) == [
                Self.at("2026-10-25T00:30:00Z")..<Self.at("2026-10-25T01:00:00Z"),
                Self.at("2026-10-25T01:30:00Z")..<Self.at("2026-10-25T04:00:00Z"),
            ])
        // New York's 01:00–02:00 happens twice on 2026-11-01: one interval of two hours.
        let newYork = BusinessCalendar(
            name: "ny", zone: try ZoneFiles.rules("America/New_York"),
            weekly: [.sunday: [try ClockRange.parse("01:00-02:00")]])
        #expect(
            newYork.openIntervals(from: Self.at("2026-10-31T00:00:00Z"), to: Self.at("2026-11-03T00:00:00Z"))
                == [Self.at("2026-11-01T05:00:00Z")..<Self.at("2026-11-01T07:00:00Z")])
        // Around the clock in wall time is one interval across both changes.
        let wall = try Self.calendar("paris-wall")
        let year = wall.openIntervals(from: Self.at("2026-01-01T00:00:00Z"), to: Self.at("2027-01-01T00:00:00Z"))
        #expect(year == [Self.at("2026-01-01T00:00:00Z")..<Self.at("2027-01-01T00:00:00Z")])
    }

    @Test func openIntervalsMergeAndClip() throws {
        let paris = try ZoneFiles.rules("Europe/Paris")
        let split = BusinessCalendar(
            name: "split", zone: paris,
            weekly: [
                .monday: [try ClockRange.parse("12:00-18:00"), try ClockRange.parse("09:00-12:00")],
                .friday: [try ClockRange.parse("22:00-06:00")], .saturday: [try ClockRange.parse("06:00-08:00")],
            ])
        // Touching ranges are one interval, including across midnight into the next day's range.
        #expect(
            split.openIntervals(from: Self.at("2026-06-15T00:00:00+02:00"), to: Self.at("2026-06-21T00:00:00+02:00"))
                == [
                    Self.at("2026-06-15T09:00:00+02:00")..<Self.at("2026-06-15T18:00:00+02:00"),
                    Self.at("2026-06-19T22:00:00+02:00")..<Self.at("2026-06-20T08:00:00+02:00"),
                ])
        // Clipped to the window on both sides.
        #expect(
            split.openIntervals(from: Self.at("2026-06-15T10:00:00+02:00"), to: Self.at("2026-06-15T11:00:00+02:00"))
                == [Self.at("2026-06-15T10:00:00+02:00")..<Self.at("2026-06-15T11:00:00+02:00")])
        #expect(split.openIntervals(from: Self.at("2026-06-16T10:00:00+02:00"), to: Self.at("2026-06-16T11:00:00+02:00")).isEmpty)
        #expect(split.openIntervals(from: Self.at("2026-06-15T11:00:00+02:00"), to: Self.at("2026-06-15T10:00:00+02:00")).isEmpty)
        // Christmas closes the office: the week has four intervals.
        let office = try Self.calendar("paris-office")
        #expect(office.openIntervals(from: Self.at("2026-12-21T00:00:00Z"), to: Self.at("2026-12-28T00:00:00Z")).count == 4)
    }

    @Test func pauses() throws {
        let office = try Self.calendar("paris-office")
        let monday = Self.at("2026-06-15T09:00:00+02:00")
        let four = Duration.seconds(4 * 3600)
        func local(_ time: String) -> Date { Self.at("2026-06-\(time):00+02:00") }
        #expect(office.adding(four, to: monday) == local("15T13:00"))
        // A pause in open hours moves the deadline by exactly its length.
        #expect(office.adding(four, to: monday, pausedDuring: [local("15T10:00")..<local("15T11:00")]) == local("15T14:00"))
        // One entirely in closed hours changes nothing.
        #expect(office.adding(four, to: monday, pausedDuring: [local("14T10:00")..<local("15T08:00")]) == local("15T13:00"))
        #expect(office.adding(four, to: monday, pausedDuring: [local("15T20:00")..<local("16T08:00")]) == local("15T13:00"))
        // Overlapping pauses count once: 10:00–11:30 is 1 h 30.
        let overlapping = [local("15T10:00")..<local("15T11:00"), local("15T10:30")..<local("15T11:30")]
        #expect(office.adding(four, to: monday, pausedDuring: overlapping) == local("15T14:30"))
        let twice = [local("15T10:00")..<local("15T11:00"), local("15T10:00")..<local("15T11:00")]
        #expect(office.adding(four, to: monday, pausedDuring: twice) == local("15T14:00"))
        // Across closing time only the open part counts: 17:00–18:00 and 09:00–10:00 the next day.
        #expect(
            office.adding(.seconds(9 * 3600), to: monday, pausedDuring: [local("15T17:00")..<local("16T10:00")])
                == local("16T11:00"))
        // A pause that started before the ticket, and one that never ends.
        #expect(office.adding(four, to: monday, pausedDuring: [local("12T10:00")..<local("15T10:00")]) == local("15T14:00"))
        #expect(office.adding(four, to: monday, pausedDuring: [local("15T10:00")..<Date.distantFuture]) == nil)
        // Durations: lunch off a full day; pauses outside the window change nothing.
        #expect(
            office.businessDuration(
                from: local("15T00:00"), to: local("16T00:00"), pausedDuring: [local("15T12:00")..<local("15T13:00")])
                == .seconds(8 * 3600))
        #expect(
            office.businessDuration(
                from: local("15T09:00"), to: local("15T12:00"),
                pausedDuring: [local("15T08:00")..<local("15T10:00"), local("15T11:30")..<local("16T00:00")])
                == .seconds(3600 + 1800))
        #expect(
            office.businessDuration(
                from: local("15T09:00"), to: local("15T12:00"), pausedDuring: [local("15T13:00")..<local("15T14:00")])
                == .seconds(3 * 3600))
    }

    @Test func degenerateCalendarsAndHorizons() throws {
        let start = Self.at("2026-06-15T09:00:00+02:00")
        let never = BusinessCalendar(name: "never", zone: try ZoneFiles.rules("Europe/Paris"), weekly: [:])
        #expect(never.adding(.seconds(60), to: start) == nil)
        #expect(never.adding(.zero, to: start) == start)
        #expect(never.businessDuration(from: start, to: start.addingTimeInterval(86_400 * 30)) == .zero)
        #expect(never.openIntervals(from: start, to: start.addingTimeInterval(86_400 * 30)).isEmpty)
        // 24×7 ignores hours and holidays; pauses still count.
        var always = try Self.calendar("paris-office")
        always.alwaysOpen = true
        #expect(always.adding(.seconds(3600), to: start) == start.addingTimeInterval(3600))
        #expect(always.openIntervals(from: start, to: start.addingTimeInterval(7200)) == [start..<start.addingTimeInterval(7200)])
        let christmas = Self.at("2026-12-25T12:00:00+01:00")
        #expect(always.businessDuration(from: christmas, to: christmas.addingTimeInterval(600)) == .seconds(600))
        #expect(
            BusinessCalendar.twentyFourSeven().adding(
                .seconds(3600), to: start, pausedDuring: [start.addingTimeInterval(600)..<start.addingTimeInterval(1200)])
                == start.addingTimeInterval(4200))
        #expect(
            BusinessCalendar.twentyFourSeven().adding(.seconds(3600), to: start, pausedDuring: [start..<Date.distantFuture])
                == nil)
        // The horizon bounds the search: five business days need a week.
        let office = try Self.calendar("paris-office")
        let friday = Self.at("2026-06-12T17:40:00+02:00")
        #expect(office.adding(.seconds(45 * 3600), to: friday, horizon: .seconds(3 * 86_400)) == nil)
        #expect(office.adding(.seconds(45 * 3600), to: friday, horizon: .seconds(7 * 86_400)) == Self.at("2026-06-19T17:40:00+02:00"))
        // Fractions of a second belong to their second, as in isOpen(at:).
        let late = Self.at("2026-06-12T17:59:59.5+02:00")
        #expect(office.businessDuration(from: late, to: late.addingTimeInterval(10)) == .milliseconds(500))
        #expect(office.adding(.seconds(4 * 3600), to: late) == Self.at("2026-06-15T12:59:59.5+02:00"))
    }
}
