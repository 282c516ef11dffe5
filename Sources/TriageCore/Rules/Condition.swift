/// A rule's `when`: a tree of tests combined with `all`, `any` and `not`. Written in YAML, checked
/// by the configuration loader, compiled once into a ``CompiledCondition`` for evaluation.
public indirect enum Condition: Sendable, Equatable {
    /// Every part holds (a YAML mapping with several keys is an implicit `all`). Empty = always.
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case field(RuleField, FieldTest)
    case text(RuleField, TextTest)
    case time(TimeTest)

    public static let always = Condition.all([])

    /// The conjunction's parts, flattened (`all` inside `all`).
    var conjuncts: [Condition] {
        if case .all(let parts) = self { return parts.flatMap(\.conjuncts) }
        return [self]
    }
}

/// A test of one field's value.
public enum FieldTest: Sendable, Equatable {
    case equals(String)
    case notEquals(String)
    case oneOf([String])
    /// `exists: true` (present and not empty) or `exists: false` (missing).
    case exists(Bool)
    /// A regular expression that must match the whole value (anchored).
    case regex(String)
    case prefix(String)
    case suffix(String)
    case compare(Comparison, Double)

    public enum Comparison: String, Sendable, CaseIterable {
        case gt, gte, lt, lte

        func holds(_ value: Double, _ limit: Double) -> Bool {
            switch self {
            case .gt: value > limit
            case .gte: value >= limit
            case .lt: value < limit
            case .lte: value <= limit
            }
        }

        var symbol: String {
            switch self {
            case .gt: ">"
            case .gte: ">="
            case .lt: "<"
            case .lte: "<="
            }
        }
    }
}

/// A test of free text (title, description, or both), on folded words (case and accents ignored).
public enum TextTest: Sendable, Equatable {
    /// At least one of the words or phrases appears, on word boundaries.
    case containsAny([String])
    /// All of them appear.
    case containsAll([String])
    /// The text is at least `threshold` similar (0…1) to one of the examples.
    case similarTo([String], threshold: Double)
}

/// A test of the instant the incident is evaluated at.
public enum TimeTest: Sendable, Equatable {
    /// Inside (or outside) a named calendar's business hours.
    case calendar(String, inside: Bool)
    /// On one of these weekdays, in `zone`.
    case weekdays(Set<Weekday>, zone: String)
    /// Within a time-of-day range (may cross midnight), in `zone`.
    case between(ClockRange, zone: String)
    /// On one of these local dates (inclusive ranges), in `zone`.
    case dates([ClosedRange<LocalDate>], zone: String)
}
