import FoundationEssentials

/// A business calendar as data: what an SLA snapshot keeps so the clock an incident started on
/// does not change when the configuration does. The zone is kept by its IANA name; its rules come
/// from the tz database when the calendar is rebuilt (a government's DST change applies).
public struct CalendarSpec: Sendable, Equatable, Codable {
    public struct Range: Sendable, Equatable, Codable {
        /// ISO weekday: 1 = Monday … 7 = Sunday.
        public var day: Int
        /// Minutes after local midnight; `end < start` crosses midnight.
        public var start: Int
        public var end: Int
    }

    public var name: String
    public var zone: String
    public var ranges: [Range]
    /// Local dates `YYYY-MM-DD`.
    public var holidays: [String]
    public var alwaysOpen: Bool

    public init(_ calendar: BusinessCalendar) {
        name = calendar.name
        zone = calendar.zone.identifier
        ranges = calendar.weekly.sorted { $0.key < $1.key }.flatMap { day, list in
            list.map { Range(day: day.rawValue, start: $0.start, end: $0.end) }
        }
        holidays = calendar.holidays.sorted().map(\.description)
        alwaysOpen = calendar.alwaysOpen
    }

    /// The calendar again, on `zone`'s rules (which must be the rules of ``zone``).
    public func calendar(zone rules: ZoneRules) -> BusinessCalendar {
        var weekly: [Weekday: [ClockRange]] = [:]
        for range in ranges {
            guard let day = Weekday(rawValue: range.day), let clock = ClockRange(start: range.start, end: range.end) else {
                continue
            }
            weekly[day, default: []].append(clock)
        }
        return BusinessCalendar(
            name: name, zone: rules, weekly: weekly, holidays: Set(holidays.compactMap(LocalDate.init(parsing:))),
            alwaysOpen: alwaysOpen)
    }
}
