import FoundationEssentials

/// Evaluates compiled conditions. On success `why` holds the facts that made it hold; on failure
/// its last line says which test failed and why. Strings are built only when explaining.
enum ConditionChecker {
    static func check(_ condition: CompiledCondition, _ context: inout EvaluationContext, _ why: inout [String]) -> Bool {
        switch condition {
        case .all(let parts):
            for part in parts where !check(part, &context, &why) { return false }
            return true
        case .any(let parts):
            var failures: [String] = []
            for part in parts {
                var sub: [String] = []
                if check(part, &context, &sub) {
                    why.append(contentsOf: sub)
                    return true
                }
                if context.explain, let last = sub.last { failures.append(last) }
            }
            if context.explain { why.append("none of: " + failures.joined(separator: "; ")) }
            return false
        case .not(let inner):
            var sub: [String] = []
            if check(inner, &context, &sub) {
                if context.explain { why.append("not (" + sub.joined(separator: ", ") + ") but it held") }
                return false
            }
            if context.explain { why.append("not (" + (sub.last ?? "") + ")") }
            return true
        case .field(let field, let test):
            return checkField(field, test, &context, &why)
        case .text(let field, let test):
            return checkText(field, test, &context, &why)
        case .time(let test):
            return checkTime(test, context, &why)
        }
    }

    static func checkField(
        _ field: RuleField, _ test: CompiledCondition.CompiledFieldTest, _ context: inout EvaluationContext,
        _ why: inout [String]
    ) -> Bool {
        let value = context.value(field)
        func say(_ holds: Bool, _ success: @autoclosure () -> String, _ failure: @autoclosure () -> String) -> Bool {
            if context.explain { why.append(holds ? success() : failure()) }
            return holds
        }
        let shown = context.explain ? "'\(context.display(field))'" : ""
        switch test {
        case .exists(let wanted):
            let present = !(value ?? "").isEmpty
            return say(
                present == wanted, wanted ? "\(field) present (\(shown))" : "\(field) missing",
                wanted ? "\(field) is missing" : "\(field) is present (\(shown)), wants it missing")
        default:
            break
        }
        guard let value else {
            if context.explain { why.append("\(field) is missing") }
            return false
        }
        switch test {
        case .equals(let wanted):
            return say(value == wanted, "\(field) = \(shown)", "\(field) is \(shown), wants '\(wanted)'")
        case .notEquals(let unwanted):
            return say(value != unwanted, "\(field) is \(shown), not '\(unwanted)'", "\(field) is '\(unwanted)'")
        case .oneOf(let set, let display):
            return say(set.contains(value), "\(field) = \(shown)", "\(field) is \(shown), wants one of " + display)
        case .regex(let regex, let pattern):
            let holds = (try? regex.wholeMatch(in: value)) != nil
            return say(holds, "\(field) \(shown) matches /\(pattern)/", "\(field) \(shown) does not match /\(pattern)/")
        case .prefix(let prefix):
            return say(value.hasPrefix(prefix), "\(field) starts with '\(prefix)'", "\(field) \(shown) does not start with '\(prefix)'")
        case .suffix(let suffix):
            return say(value.hasSuffix(suffix), "\(field) ends with '\(suffix)'", "\(field) \(shown) does not end with '\(suffix)'")
        case .compare(let op, let limit):
            guard let number = Double(value.trimmedSpaces) else {
                if context.explain { why.append("\(field) is \(shown), not a number") }
                return false
            }
            let limitText = limit.rounded() == limit ? String(Int64(limit)) : String(limit)
            return say(
                op.holds(number, limit), "\(field) \(shown) \(op.symbol) \(limitText)",
                "\(field) is \(shown), wants \(op.symbol) \(limitText)")
        case .exists:
            return false
        }
    }

    static func checkText(
        _ field: RuleField, _ test: CompiledCondition.CompiledTextTest, _ context: inout EvaluationContext,
        _ why: inout [String]
    ) -> Bool {
        let text = context.text(field)
        switch test {
        case .containsAny(let phrases, let display):
            if let hit = phrases.first(where: { text.contains($0) }) {
                if context.explain { why.append("\(field) contains '\(hit.text)'") }
                return true
            }
            if context.explain { why.append("\(field) contains none of " + display) }
            return false
        case .containsAll(let phrases, let display):
            let missing = phrases.filter { !text.contains($0) }
            if missing.isEmpty {
                if context.explain { why.append("\(field) contains all of " + display) }
                return true
            }
            if context.explain { why.append("\(field) lacks " + quoted(missing.map(\.text))) }
            return false
        case .similarTo(let examples, let texts, let threshold):
            var best = 0.0
            var bestIndex = 0
            let vector = context.vector(field)
            for (index, example) in examples.enumerated() {
                let score = Double(vector.cosine(example))
                if score > best {
                    best = score
                    bestIndex = index
                }
            }
            let rounded = (best * 100).rounded() / 100
            if best >= threshold {
                if context.explain { why.append("\(field) is \(rounded) similar to '\(texts[bestIndex])' (>= \(threshold))") }
                return true
            }
            if context.explain {
                why.append("\(field) is at most \(rounded) similar to the examples (wants >= \(threshold))")
            }
            return false
        }
    }

    static func checkTime(_ test: CompiledCondition.CompiledTimeTest, _ context: EvaluationContext, _ why: inout [String]) -> Bool {
        let now = context.now
        switch test {
        case .calendar(let calendar, let inside):
            let open = calendar.isOpen(at: now)
            if context.explain {
                let state = open ? "inside" : "outside"
                why.append("\(context.nowText) is \(state) calendar '\(calendar.name)' business hours")
            }
            return open == inside
        case .weekdays(let days, let zone):
            let local = zone.local(now)
            let holds = days.contains(local.weekday)
            if context.explain {
                why.append("it is \(local.weekday) in \(zone.identifier)" + (holds ? "" : ", wants \(days.sorted { $0.rawValue < $1.rawValue })"))
            }
            return holds
        case .between(let range, let zone):
            let local = zone.local(now)
            let minute = local.hour * 60 + local.minute
            let holds = range.contains(minuteOfDay: minute)
            if context.explain {
                let clock = String(format2(local.hour)) + ":" + format2(local.minute)
                why.append("it is \(clock) in \(zone.identifier)" + (holds ? ", within \(range)" : ", outside \(range)"))
            }
            return holds
        case .dates(let ranges, let zone):
            let local = zone.local(now)
            let date = LocalDate(year: local.year, month: local.month, day: local.day)
            let holds = ranges.contains { $0.contains(date) }
            if context.explain { why.append("the date in \(zone.identifier) is \(date)" + (holds ? "" : ", not one of the dates")) }
            return holds
        }
    }

    static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `["a", "b"]`, without going through `Array.description`.
    static func quoted(_ items: [String]) -> String {
        "[" + items.map { "\"" + $0 + "\"" }.joined(separator: ", ") + "]"
    }
}
