import FoundationEssentials

/// A ``Condition`` compiled once: regexes built, phrases analysed, zones and calendars resolved.
indirect enum CompiledCondition: @unchecked Sendable {
    case all([CompiledCondition])
    case any([CompiledCondition])
    case not(CompiledCondition)
    case field(RuleField, CompiledFieldTest)
    case text(RuleField, CompiledTextTest)
    case time(CompiledTimeTest)

    enum CompiledFieldTest {
        case equals(String)
        case notEquals(String)
        /// `display` is pre-rendered for explanations.
        case oneOf(Set<String>, display: String)
        case exists(Bool)
        case regex(Regex<AnyRegexOutput>, pattern: String)
        case prefix(String)
        case suffix(String)
        case compare(FieldTest.Comparison, Double)
    }

    enum CompiledTextTest {
        /// `display` is the phrases pre-rendered for explanations.
        case containsAny([Phrase], display: String)
        case containsAll([Phrase], display: String)
        /// Example vectors computed once at compile time, with the classifier's feature hasher
        /// (the same word and character n-grams the duplicate finder compares).
        case similarTo([SparseVector], examples: [String], threshold: Double)
    }

    enum CompiledTimeTest {
        case calendar(BusinessCalendar, inside: Bool)
        case weekdays(Set<Weekday>, ZoneRules)
        case between(ClockRange, ZoneRules)
        case dates([ClosedRange<LocalDate>], ZoneRules)
    }

    /// Compiles `condition`; the loader has validated it, so unknown zones and calendars fall
    /// back to UTC and an always-closed calendar rather than failing here.
    static func compile(_ condition: Condition, context: RuleSet.Resources) -> CompiledCondition {
        switch condition {
        case .all(let parts): return .all(parts.map { compile($0, context: context) })
        case .any(let parts): return .any(parts.map { compile($0, context: context) })
        case .not(let inner): return .not(compile(inner, context: context))
        case .field(let field, let test):
            return .field(field, compileField(test, normalise: field.closedValues != nil || field == .service))
        case .text(let field, let test):
            switch test {
            case .containsAny(let phrases):
                return .text(field, .containsAny(phrases.compactMap(Phrase.init), display: ConditionChecker.quoted(phrases)))
            case .containsAll(let phrases):
                return .text(field, .containsAll(phrases.compactMap(Phrase.init), display: ConditionChecker.quoted(phrases)))
            case .similarTo(let examples, let threshold):
                let hasher = FeatureHasher()
                let vectors = examples.map { hasher.features($0).normalised() }
                return .text(field, .similarTo(vectors, examples: examples, threshold: threshold))
            }
        case .time(let test):
            func zone(_ name: String) -> ZoneRules { context.zones[name] ?? .utc }
            switch test {
            case .calendar(let name, let inside):
                let calendar =
                    context.calendars[name]
                    ?? BusinessCalendar(name: name, zone: .utc, weekly: [:], holidays: [], alwaysOpen: false)
                return .time(.calendar(calendar, inside: inside))
            case .weekdays(let days, let name): return .time(.weekdays(days, zone(name)))
            case .between(let range, let name): return .time(.between(range, zone(name)))
            case .dates(let ranges, let name): return .time(.dates(ranges, zone(name)))
            }
        }
    }

    static func compileField(_ test: FieldTest, normalise: Bool) -> CompiledFieldTest {
        func norm(_ text: String) -> String { normalise ? text.lowercased() : text }
        switch test {
        case .equals(let value): return .equals(norm(value))
        case .notEquals(let value): return .notEquals(norm(value))
        case .oneOf(let values): return .oneOf(Set(values.map(norm)), display: ConditionChecker.quoted(values))
        case .exists(let flag): return .exists(flag)
        case .regex(let pattern):
            // Validated by the loader; a pattern that still fails to compile matches nothing.
            let regex = (try? Regex(pattern)) ?? (try! Regex("(?!)"))
            return .regex(regex, pattern: pattern)
        case .prefix(let value): return .prefix(norm(value))
        case .suffix(let value): return .suffix(norm(value))
        case .compare(let op, let limit): return .compare(op, limit)
        }
    }
}
