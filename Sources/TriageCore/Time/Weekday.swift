import FoundationEssentials

/// A day of the week, numbered as in ISO 8601: Monday = 1 … Sunday = 7.
public enum Weekday: Int, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Reads `mon`, `Monday`, `TUE`, `tuesday`…: the English name or its three-letter
    /// abbreviation, in any case; `nil` for anything else.
    public init?(parsing text: String) {
        let lower = text.lowercased()
        guard let day = Weekday.allCases.first(where: { $0.name == lower || $0.abbreviation == lower }) else {
            return nil
        }
        self = day
    }

    /// Same as ``init(parsing:)``.
    public static func parse(_ text: String) -> Weekday? { Weekday(parsing: text) }

    /// The lowercase English name: `monday`.
    public var name: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    /// The lowercase three-letter abbreviation: `mon`.
    public var abbreviation: String { String(name.prefix(3)) }

    public var description: String { name }

    /// The day after this one (Sunday is followed by Monday).
    public var next: Weekday { Weekday(rawValue: rawValue % 7 + 1)! }

    /// The day before this one (Monday is preceded by Sunday).
    public var previous: Weekday { Weekday(rawValue: (rawValue + 5) % 7 + 1)! }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The weekday of a day number (days since 1970-01-01).
    init(daysSinceEpoch days: Int) {
        self = Weekday(rawValue: CivilDays.isoWeekday(days))!
    }
}
