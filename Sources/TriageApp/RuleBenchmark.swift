import Foundation
import TriageCore

/// Synthetic but realistic rule sets and incidents for `triage bench rules`.
///
/// The mix, per rule: 40% a team label plus a text word (`labels.team` + `text contains_any`),
/// 20% source + severity + an anchored regex on `labels.instance`, 15% a service plus a numeric
/// comparison, 15% text only (`contains_any` of two or three phrases), 5% `any` of a label or a
/// word, 5% business hours plus a label. One rule in ten is in an `all`-mode enrichment group.
struct RuleBenchmark {
    static let teams = (0..<60).map { "team-\($0)" }
    static let services = (0..<80).map { "svc-\($0)" }
    static let sources = ["alertmanager", "grafana", "generic", "pagerduty-events", "jira"]
    static let words = [
        "disk", "database", "latency", "login", "cpu", "memory", "timeout", "replication", "certificate", "dns",
        "queue", "backlog", "deadlock", "checkout", "payment", "cache", "index", "snapshot", "backup", "kafka",
        "redis", "postgres", "nginx", "gateway", "token", "quota", "throttle", "oom", "restart", "crash",
    ]

    var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }

    mutating func rules(count: Int, calendar: BusinessCalendar) -> RuleSet {
        var enrich: [Rule] = []
        var route: [Rule] = []
        for index in 0..<count {
            let roll = Int(generator.next() % 100)
            let condition: Condition
            switch roll {
            case 0..<40:
                condition = .all([.field(.label("team"), .equals(pick(Self.teams))), .text(.text, .containsAny([pick(Self.words)]))])
            case 40..<60:
                condition = .all([
                    .field(.source, .equals(pick(Self.sources))), .field(.severity, .oneOf(["critical", "error"])),
                    .field(.label("instance"), .regex("\(pick(["db", "web", "cache"]))-[0-9]+:9100")),
                ])
            case 60..<75:
                condition = .all([
                    .field(.service, .equals(pick(Self.services))), .field(.label("value"), .compare(.gt, Double(generator.next() % 100))),
                ])
            case 75..<90:
                condition = .text(.title, .containsAny([pick(Self.words), "\(pick(Self.words)) \(pick(Self.words))", pick(Self.words)]))
            case 90..<95:
                condition = .any([.field(.label("team"), .equals(pick(Self.teams))), .text(.title, .containsAny([pick(Self.words)]))])
            default:
                condition = .all([.time(.calendar(calendar.name, inside: false)), .field(.label("team"), .equals(pick(Self.teams)))])
            }
            let actions = RuleActions(
                category: "cat-\(index % 40)", priority: index % 3 == 0 ? .p2 : nil, tags: index % 10 == 0 ? ["t\(index)"] : [])
            let rule = Rule(name: "rule-\(index)", when: condition, then: actions, continueMatching: index % 7 == 0)
            if index % 10 == 9 { enrich.append(rule) } else { route.append(rule) }
        }
        return RuleSet(
            groups: [RuleGroup(name: "enrich", mode: .all, rules: enrich), RuleGroup(name: "route", rules: route)],
            resources: RuleSet.Resources(calendars: [calendar.name: calendar]))
    }

    mutating func incidents(count: Int) -> [Incident] {
        (0..<count).map { index in
            let draft = IncidentDraft(
                source: pick(Self.sources),
                title: "\(pick(Self.words)) \(pick(["alert", "warning", "errors"])) on \(pick(["db", "web", "cache"]))-\(index % 50)",
                description: "The \(pick(Self.words)) of \(pick(Self.services)) shows \(pick(Self.words)) since 10 minutes",
                severity: pick([.critical, .error, .warning, .info]),
                labels: [
                    "team": pick(Self.teams), "instance": "\(pick(["db", "web", "cache"]))-\(index % 40):9100",
                    "value": String(generator.next() % 100), "env": pick(["prod", "staging"]),
                ],
                service: pick(Self.services))
            return Incident(
                id: IncidentID(now: Date(timeIntervalSince1970: 1_767_614_400), using: &generator), draft: draft,
                receivedAt: Date(timeIntervalSince1970: 1_767_614_400), rawPayloadID: 0)
        }
    }
}
