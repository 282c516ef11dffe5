import Foundation
import TriageCore
import Yams

extension ConditionSection {
    /// `time: {weekdays, between, dates, timezone, business_hours, outside_business_hours}`: every
    /// key given must hold, at the instant the incident is evaluated.
    ///
    /// ```yaml
    /// time: {business_hours: paris-office}
    /// time: {weekdays: [sat, sun], timezone: Europe/Paris}
    /// time: {between: "22:00-06:00", timezone: America/New_York}     # crosses midnight
    /// time: {dates: [2026-12-24, 2026-12-31..2027-01-01], timezone: Europe/Berlin}
    /// ```
    func readTime(_ value: Node) -> Condition? {
        guard let map = file.mapping(value, "time condition", allowed: Self.timeKeys) else { return nil }
        if map.isEmpty { file.fail(value, "time needs weekdays, between, dates, business_hours or outside_business_hours") }
        var zone = "UTC"
        if let node = map["timezone"], let name = file.string(node, "time.timezone") {
            if zones.load(name, at: node, in: file) { zone = name }
        }
        var parts: [Condition] = []
        for (keyNode, operand) in map {
            switch keyNode.string {
            case "weekdays":
                var days: Set<Weekday> = []
                for text in file.strings(operand, "time.weekdays") {
                    if let day = Weekday(parsing: text) {
                        days.insert(day)
                    } else if let range = Self.dayRange(text) {
                        days.formUnion(range)
                    } else {
                        file.fail(operand, "'\(text)' is not a weekday (mon … sun, or a range like mon-fri)")
                    }
                }
                parts.append(.time(.weekdays(days, zone: zone)))
            case "between":
                guard let text = file.string(operand, "time.between") else { continue }
                do {
                    parts.append(.time(.between(try ClockRange.parse(text), zone: zone)))
                } catch {
                    file.fail(operand, "time.between: \(error)")
                }
            case "dates":
                var ranges: [ClosedRange<LocalDate>] = []
                for text in file.strings(operand, "time.dates") {
                    let ends = text.components(separatedBy: "..")
                    guard ends.count <= 2, let first = LocalDate(parsing: ends[0]),
                        let last = ends.count == 2 ? LocalDate(parsing: ends[1]) : first, first <= last
                    else {
                        file.fail(operand, "'\(text)' is not a date (2026-12-25) or a date range (2026-12-24..2026-12-26)")
                        continue
                    }
                    ranges.append(first...last)
                }
                parts.append(.time(.dates(ranges, zone: zone)))
            case "business_hours", "outside_business_hours":
                guard let name = file.string(operand, "time.\(keyNode.string ?? "")") else { continue }
                guard calendars.contains(name) else {
                    let known = calendars.sorted().joined(separator: ", ")
                    file.fail(operand, "calendar '\(name)' is not defined (calendars: \(known.isEmpty ? "none" : known))")
                    continue
                }
                if map["timezone"] != nil {
                    file.fail(map["timezone"], "a calendar has its own time zone; timezone applies to weekdays, between and dates")
                }
                parts.append(.time(.calendar(name, inside: keyNode.string == "business_hours")))
            default:
                continue
            }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    /// `mon-fri`, `sat-sun`, `fri-mon` (wrapping).
    static func dayRange(_ text: String) -> Set<Weekday>? {
        let ends = text.split(separator: "-")
        guard ends.count == 2, let first = Weekday(parsing: String(ends[0])), let last = Weekday(parsing: String(ends[1]))
        else { return nil }
        var days: Set<Weekday> = [first]
        var day = first
        while day != last {
            day = Weekday(rawValue: day.rawValue % 7 + 1) ?? last
            days.insert(day)
        }
        return days
    }
}

/// The time zones a configuration names, loaded once from the system's zoneinfo, with errors
/// reported where the name was written.
final class ZoneCatalog {
    private(set) var zones: [String: ZoneRules] = [:]

    /// Loads `name`; on failure reports it against `node` and returns `false`.
    func load(_ name: String, at node: Node?, in file: YAMLFile) -> Bool {
        if zones[name] != nil { return true }
        do {
            zones[name] = try TimeZoneLoader.load(name)
            return true
        } catch {
            file.fail(node, error.message)
            return false
        }
    }
}
