import Foundation
import Testing

@testable import TriageCore

/// Every hour of 2026 in Paris, New York and Sydney, against an independent computation of each
/// zone's footer rule written here with Foundation's `Calendar` (not the code under test).
@Suite(.enabled(
    if: ZoneFiles.available("Europe/Paris", "America/New_York", "Australia/Sydney"),
    "needs Europe/Paris, America/New_York and Australia/Sydney in /usr/share/zoneinfo"))
struct ZoneRulesHourlyTests {
    /// A zone's rule as UTC change instants for one year: offsets and when daylight time holds.
    struct Expected: Sendable, CustomStringConvertible {
        var zone: String
        var standard: Int
        var daylight: Int
        /// (start, end) of daylight time in UTC: daylight iff start <= t < end (northern), or
        /// t < end || t >= start (southern, end < start).
        var changes: @Sendable (Int) -> (start: Date, end: Date)
        var description: String { zone }

        func offset(at date: Date) -> Int {
            let year = Expected.calendar.component(.year, from: date)
            let (start, end) = changes(year)
            let inDaylight = start < end ? (start <= date && date < end) : (date < end || date >= start)
            return inDaylight ? daylight : standard
        }

        static let calendar: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0)!
            return calendar
        }()

        static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int) -> Date {
            calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!
        }

        /// Day of the month of the `n`th Sunday (n = 5 means the last).
        static func sunday(_ n: Int, _ year: Int, _ month: Int) -> Int {
            let length = calendar.range(of: .day, in: .month, for: utc(year, month, 1, 0))!.count
            let sundays = (1...length).filter { calendar.component(.weekday, from: utc(year, month, $0, 12)) == 1 }
            return n == 5 ? sundays.last! : sundays[n - 1]
        }
    }

    static let zones: [Expected] = [
        // CET-1CEST,M3.5.0,M10.5.0/3: last Sunday of March 02:00 CET, last of October 03:00 CEST.
        Expected(zone: "Europe/Paris", standard: 3600, daylight: 7200) { year in
            (Expected.utc(year, 3, Expected.sunday(5, year, 3), 1), Expected.utc(year, 10, Expected.sunday(5, year, 10), 1))
        },
        // EST5EDT,M3.2.0,M11.1.0: second Sunday of March 02:00 EST, first of November 02:00 EDT.
        Expected(zone: "America/New_York", standard: -18_000, daylight: -14_400) { year in
            (Expected.utc(year, 3, Expected.sunday(2, year, 3), 7), Expected.utc(year, 11, Expected.sunday(1, year, 11), 6))
        },
        // AEST-10AEDT,M10.1.0,M4.1.0/3: first Sunday of October 02:00 AEST, first of April 03:00
        // AEDT; both are 16:00 UTC the day before.
        Expected(zone: "Australia/Sydney", standard: 36_000, daylight: 39_600) { year in
            (Expected.utc(year, 10, Expected.sunday(1, year, 10), 0).addingTimeInterval(-8 * 3600),
                Expected.utc(year, 4, Expected.sunday(1, year, 4), 0).addingTimeInterval(-8 * 3600))
        },
    ]

    @Test(arguments: ZoneRulesHourlyTests.zones)
    func everyHourOf2026(_ expected: Expected) throws {
        let rules = try ZoneFiles.rules(expected.zone)
        let start = Expected.utc(2026, 1, 1, 0)
        var mismatches: [String] = []
        for hour in 0..<(365 * 24) {
            let instant = start.addingTimeInterval(TimeInterval(hour * 3600))
            let offset = expected.offset(at: instant)
            let wall = Expected.calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .weekday], from: instant.addingTimeInterval(TimeInterval(offset)))
            let local = rules.local(instant)
            let isoWeekday = (wall.weekday! + 5) % 7 + 1
            if rules.offset(at: instant) != offset || local.year != wall.year || local.month != wall.month
                || local.day != wall.day || local.hour != wall.hour || local.minute != wall.minute
                || local.second != wall.second || local.weekday.rawValue != isoWeekday
            {
                mismatches.append("\(instant.rfc3339): got \(local) (\(rules.offset(at: instant))), want \(wall) (\(offset))")
                continue
            }
            // Back again: exact, except the wall time repeated in a fold has two instants.
            let inSecondPass = expected.offset(at: instant.addingTimeInterval(-3600)) > offset
            let inFirstPass = expected.offset(at: instant.addingTimeInterval(3600)) < offset
            let earlier = rules.instant(of: local, preferring: .earlier)
            let later = rules.instant(of: local, preferring: .later)
            if earlier != instant.addingTimeInterval(inSecondPass ? -3600 : 0)
                || later != instant.addingTimeInterval(inFirstPass ? 3600 : 0)
            {
                mismatches.append("\(instant.rfc3339): \(local) back to \(earlier.rfc3339) / \(later.rfc3339)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // Exactly two changes, one hour each way.
        let changes = rules.changes(after: Int64(start.timeIntervalSince1970), through: Int64(start.timeIntervalSince1970) + 365 * 86_400)
        #expect(changes.count == 2)
    }
}
