import Foundation
import Testing

@testable import TriageCore

/// Every hour of 2026 in Paris, New York and Sydney, against an independent computation of each
/// zone's footer rule written here with naive day counting (not the code under test).
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
            let year = Expected.year(of: date)
            let (start, end) = changes(year)
            let inDaylight = start < end ? (start <= date && date < end) : (date < end || date >= start)
            return inDaylight ? daylight : standard
        }

        // Plain day counting, deliberately naive (no Foundation Calendar, which is not safe to share
        // across the suite's parallel tests, and none of the code under test).
        static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

        static func monthLength(_ year: Int, _ month: Int) -> Int {
            [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }

        /// Days from 1970-01-01 to the date, by counting years and months one at a time.
        static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
            var total = 0
            for y in 1970..<year { total += isLeap(y) ? 366 : 365 }
            for m in 1..<month { total += monthLength(year, m) }
            return total + day - 1
        }

        static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int) -> Date {
            Date(timeIntervalSince1970: TimeInterval(days(year, month, day) * 86_400 + hour * 3600))
        }

        static func year(of date: Date) -> Int {
            var year = 1970
            while utc(year + 1, 1, 1, 0) <= date { year += 1 }
            return year
        }

        struct Wall: CustomStringConvertible {
            var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, weekday = 0
            var description: String { "\(year)-\(month)-\(day) \(hour):\(minute):\(second) wd\(weekday)" }
        }

        /// The civil fields of a UTC-shifted instant, counted naively; weekday 1 = Monday.
        static func wall(_ date: Date) -> Wall {
            let total = Int(date.timeIntervalSince1970.rounded(.down))
            let dayNumber = total / 86_400
            var rest = total % 86_400
            var wall = Wall()
            wall.hour = rest / 3600
            rest %= 3600
            wall.minute = rest / 60
            wall.second = rest % 60
            wall.weekday = (dayNumber + 3) % 7 + 1
            var year = 1970
            var remaining = dayNumber
            while remaining >= (isLeap(year) ? 366 : 365) {
                remaining -= isLeap(year) ? 366 : 365
                year += 1
            }
            var month = 1
            while remaining >= monthLength(year, month) {
                remaining -= monthLength(year, month)
                month += 1
            }
            wall.year = year
            wall.month = month
            wall.day = remaining + 1
            return wall
        }

        /// Day of the month of the `n`th Sunday (n = 5 means the last). 1970-01-01 was a Thursday.
        static func sunday(_ n: Int, _ year: Int, _ month: Int) -> Int {
            let sundays = (1...monthLength(year, month)).filter { (days(year, month, $0) + 4) % 7 == 0 }
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
            let wall = Expected.wall(instant.addingTimeInterval(TimeInterval(offset)))
            let local = rules.local(instant)
            let isoWeekday = wall.weekday
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
