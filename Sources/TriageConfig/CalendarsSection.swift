import Foundation
import TriageCore
import Yams

/// The named things rules refer to: `calendars`, `priority_matrix` and `sla_policies`.
///
/// ```yaml
/// calendars:
///   paris-office:
///     timezone: Europe/Paris
///     hours: {mon-fri: "09:00-18:00", sat: ["09:00-12:00"]}
///     holidays: [2026-12-25, 2027-01-01]
///   follow-the-sun: {always_open: true}
/// priority_matrix:                 # impact → urgency → priority; the default is ITIL's
///   high:   {high: P1, medium: P2, low: P3}
///   medium: {high: P2, medium: P3, low: P4}
///   low:    {high: P3, medium: P4, low: P5}
/// sla_policies:
///   expedite:
///     P1: {acknowledge: 5m, resolve: 2h}
///     clock: 24x7                  # optional, as in a vendor's sla: (see SLATermsSection);
///     pause_on: [waiting-on-customer]   # each one left out keeps the vendor contract's own
///     escalation: standard         # a ladder from vendors.yaml `escalations:`
/// ```
enum CalendarsSection {
    static func calendars(_ node: Node?, file: YAMLFile, zones: ZoneCatalog) -> [String: BusinessCalendar] {
        guard let node, let map = file.mapping(node, "calendars", allowed: Set(node.mapping?.keys.compactMap(\.string) ?? []))
        else { return [:] }
        var result: [String: BusinessCalendar] = [:]
        for (key, value) in map {
            guard let name = file.string(key, "calendar name"),
                let entry = file.mapping(value, "calendar '\(name)'", allowed: ["timezone", "hours", "holidays", "always_open"])
            else { continue }
            let alwaysOpen = file.bool(entry["always_open"], "always_open") ?? false
            var zone = ZoneRules.utc
            if let zoneNode = entry["timezone"], let zoneName = file.string(zoneNode, "timezone"),
                zones.load(zoneName, at: zoneNode, in: file)
            {
                zone = zones.zones[zoneName] ?? .utc
            } else if entry["timezone"] == nil, !alwaysOpen {
                file.fail(value, "calendar '\(name)' needs a timezone (an IANA name such as Europe/Paris)")
            }
            var weekly: [Weekday: [ClockRange]] = [:]
            if let hours = entry["hours"] {
                for (dayNode, rangesNode) in hours.mapping ?? [:] {
                    guard let dayText = file.string(dayNode, "day") else { continue }
                    let days = Weekday(parsing: dayText).map { Set([$0]) } ?? ConditionSection.dayRange(dayText)
                    guard let days else {
                        file.fail(dayNode, "'\(dayText)' is not a weekday (mon … sun) or a range (mon-fri)")
                        continue
                    }
                    for text in file.strings(rangesNode, "hours of \(dayText)") {
                        do {
                            let range = try ClockRange.parse(text)
                            for day in days { weekly[day, default: []].append(range) }
                        } catch {
                            file.fail(rangesNode, "calendar '\(name)': \(error)")
                        }
                    }
                }
                if hours.mapping == nil { file.fail(hours, "hours must map days (mon, mon-fri) to time ranges") }
            } else if !alwaysOpen {
                file.fail(value, "calendar '\(name)' needs hours (or always_open: true)")
            }
            var holidays: Set<LocalDate> = []
            for text in file.strings(entry["holidays"], "holidays") {
                if let date = LocalDate(parsing: text) { holidays.insert(date) } else {
                    file.fail(entry["holidays"], "holiday '\(text)' is not a date like 2026-12-25")
                }
            }
            result[name] = BusinessCalendar(name: name, zone: zone, weekly: weekly, holidays: holidays, alwaysOpen: alwaysOpen)
        }
        return result
    }

    static func matrix(_ node: Node?, file: YAMLFile) -> PriorityMatrix {
        guard let node else { return .standard }
        let levels = Set(ImpactLevel.allCases.map(\.rawValue))
        guard let map = file.mapping(node, "priority_matrix", allowed: levels) else { return .standard }
        var table: [ImpactLevel: [ImpactLevel: Priority]] = [:]
        for impact in ImpactLevel.allCases {
            guard let row = map[impact.rawValue] else {
                file.fail(node, "priority_matrix needs a row for impact '\(impact.rawValue)'")
                continue
            }
            guard let cells = file.mapping(row, "priority_matrix.\(impact.rawValue)", allowed: levels) else { continue }
            for urgency in ImpactLevel.allCases {
                guard let cell = cells[urgency.rawValue] else {
                    file.fail(row, "priority_matrix.\(impact.rawValue) needs urgency '\(urgency.rawValue)'")
                    continue
                }
                guard let text = file.string(cell, "priority"), let priority = Priority(parsing: text) else {
                    file.fail(cell, "'\(cell.scalar?.string ?? "")' is not one of P1, P2, P3, P4, P5")
                    continue
                }
                table[impact, default: [:]][urgency] = priority
            }
        }
        return PriorityMatrix(table: table)
    }

    /// - Parameters:
    ///   - calendars: What `clock:` may name (rules.yaml's calendars).
    ///   - ladders: What `escalation:` may name (vendors.yaml's escalations).
    static func slaPolicies(
        _ node: Node?, file: YAMLFile, calendars: [String: BusinessCalendar] = [:],
        ladders: [String: EscalationLadder] = [:]
    ) -> [String: SLAPolicy] {
        guard let node, let map = node.mapping else {
            if let node { file.fail(node, "sla_policies must map policy names to targets") }
            return [:]
        }
        var result: [String: SLAPolicy] = [:]
        let keys = Set(Priority.allCases.map(\.rawValue)).union(SLATermsSection.keys)
        for (key, value) in map {
            guard let name = file.string(key, "SLA policy name"),
                let targets = file.mapping(value, "SLA policy '\(name)'", allowed: keys)
            else { continue }
            var policy = SLAPolicy(name: name, targets: [:])
            for (priorityNode, targetNode) in targets {
                guard let priority = priorityNode.string.flatMap(Priority.init(parsing:)),
                    let target = file.mapping(targetNode, "target", allowed: ["acknowledge", "resolve"])
                else { continue }
                let acknowledge = file.duration(target["acknowledge"], "acknowledge")
                let resolve = file.duration(target["resolve"], "resolve")
                guard let acknowledge, let resolve else {
                    file.fail(targetNode, "SLA policy '\(name)' \(priority.rawValue) needs acknowledge and resolve")
                    continue
                }
                policy.targets[priority] = SLATarget(acknowledge: acknowledge, resolve: resolve)
            }
            let terms = SLATermsSection.read(
                targets, what: "SLA policy '\(name)'", file: file, calendars: calendars, ladders: ladders)
            policy.clock = terms.clock
            policy.pauseOn = terms.pauseOn
            policy.escalation = terms.escalation
            result[name] = policy
        }
        return result
    }
}
