import FoundationEssentials

/// Business hours in one time zone: weekly wall-clock ranges, holidays, or 24×7.
///
/// Rules, all in the calendar's zone and in wall-clock time:
/// - A range belongs to the day it starts. `fri: 22:00-06:00` is open Friday from 22:00 and
///   Saturday until 06:00 (whatever Saturday's own ranges say).
/// - A holiday closes its whole local date, 00:00 to 24:00, including the early-morning tail of
///   a range that started the evening before; and it cancels the ranges that start on it, so
///   their tail on the next morning is closed too. Nothing is open on a holiday.
/// - Ranges are wall time, so they follow daylight saving changes: `09:00-18:00` is 09:00 local
///   in winter and summer alike; on the night clocks go forward an overnight range is an hour
///   shorter, and a wall time repeated when they go back is open both times.
/// - `alwaysOpen` (24×7) is open at every instant, holidays included.
public struct BusinessCalendar: Sendable, Equatable {
    public var name: String
    public var zone: ZoneRules
    /// The ranges of each weekday; a day with none is closed.
    public var weekly: [Weekday: [ClockRange]]
    /// Local dates on which nothing is open.
    public var holidays: Set<LocalDate>
    /// Open around the clock, every day, holidays included.
    public var alwaysOpen: Bool

    public init(
        name: String, zone: ZoneRules, weekly: [Weekday: [ClockRange]], holidays: Set<LocalDate> = [],
        alwaysOpen: Bool = false
    ) {
        self.name = name
        self.zone = zone
        self.weekly = weekly
        self.holidays = holidays
        self.alwaysOpen = alwaysOpen
    }

    /// A 24×7 calendar.
    public static func twentyFourSeven(name: String = "24x7") -> BusinessCalendar {
        BusinessCalendar(name: name, zone: .utc, weekly: [:], alwaysOpen: true)
    }

    /// Whether business hours are on at `instant` (ranges include their start minute and exclude
    /// their end minute).
    public func isOpen(at instant: Date) -> Bool {
        if alwaysOpen { return true }
        return isOpen(atLocal: zone.local(instant))
    }

    /// Whether business hours are on at local wall time `local`.
    public func isOpen(atLocal local: LocalDateTime) -> Bool {
        if alwaysOpen { return true }
        let today = local.date
        if holidays.contains(today) { return false }
        let minute = local.minuteOfDay
        let startedToday = weekly[today.weekday] ?? []
        if startedToday.contains(where: { minute >= $0.start && ($0.crossesMidnight || minute < $0.end) }) { return true }
        let yesterday = today.adding(days: -1)
        if holidays.contains(yesterday) { return false }
        return (weekly[yesterday.weekday] ?? []).contains { $0.crossesMidnight && minute < $0.end }
    }
}
