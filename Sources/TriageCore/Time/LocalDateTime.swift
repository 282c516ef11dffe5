import FoundationEssentials

/// A wall-clock date and time with no time zone, to the second: what a clock on the wall in some
/// zone shows. ``ZoneRules/local(_:)`` and ``ZoneRules/instant(of:preferring:)`` convert.
public struct LocalDateTime: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// The fields as given. They are expected in range (month 1…12, day valid for the month,
    /// hour 0…23, minute and second 0…59); ``ZoneRules/instant(of:preferring:)`` does plain
    /// arithmetic on them, so `hour: 24` means midnight of the next day there.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// `date` at `hour:minute:second`.
    public init(_ date: LocalDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.init(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second)
    }

    /// The wall time `seconds` after 1970-01-01T00:00:00 on the same wall clock.
    init(wallSeconds seconds: Int64) {
        let (days, secondOfDay) = CivilDays.split(seconds)
        let (y, m, d) = CivilDays.civil(days)
        self.init(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60)
    }

    /// Seconds since 1970-01-01T00:00:00 on the same wall clock (the instant it would be in UTC).
    var wallSeconds: Int64 {
        Int64(CivilDays.days(year: year, month: month, day: day)) * CivilDays.secondsPerDay
            + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    }

    /// The calendar date part.
    public var date: LocalDate { LocalDate(daysSinceEpoch: CivilDays.split(wallSeconds).day) }

    /// The day of the week.
    public var weekday: Weekday { Weekday(daysSinceEpoch: CivilDays.split(wallSeconds).day) }

    /// Minutes since local midnight, 0…1439.
    public var minuteOfDay: Int { hour * 60 + minute }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        "\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))-\(LocalDate.pad(day, 2))T"
            + "\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2)):\(LocalDate.pad(second, 2))"
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }
}
