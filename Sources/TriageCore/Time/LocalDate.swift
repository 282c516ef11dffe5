import FoundationEssentials

/// A calendar date with no time zone (proleptic Gregorian): a holiday, the day of a local time.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date `year-month-day`. Out-of-range months and days carry over arithmetically
    /// (`2026-02-30` is `2026-03-02`, month 13 is January of the next year), so every value is a
    /// real date; ``init(parsing:)`` rejects such text instead.
    public init(year: Int, month: Int, day: Int) {
        let months = year * 12 + (month - 1)
        let y = months >= 0 ? months / 12 : (months - 11) / 12
        let first = CivilDays.days(year: y, month: months - y * 12 + 1, day: 1)
        (self.year, self.month, self.day) = CivilDays.civil(first + day - 1)
    }

    /// The date `daysSinceEpoch` days after 1970-01-01 (negative before it).
    public init(daysSinceEpoch: Int) {
        (year, month, day) = CivilDays.civil(daysSinceEpoch)
    }

    /// Same as ``parse(_:)``.
    public init?(parsing text: String) {
        guard let date = LocalDate.parse(text) else { return nil }
        self = date
    }

    /// Reads `YYYY-MM-DD` (four-digit year, two-digit month and day), rejecting dates that do not
    /// exist such as `2026-02-30`; `nil` otherwise.
    public static func parse(_ text: String) -> LocalDate? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        guard (1...12).contains(m), (1...CivilDays.daysInMonth(year: y, month: m)).contains(d) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int { CivilDays.days(year: year, month: month, day: day) }

    /// The day of the week.
    public var weekday: Weekday { Weekday(daysSinceEpoch: daysSinceEpoch) }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))-\(LocalDate.pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
