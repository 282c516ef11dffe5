import FoundationEssentials
import Testing

@testable import TriageCore

/// The index only skips rules that cannot match: indexed and naive evaluation agree everywhere.
struct RuleIndexTests {
    @Test func indexedAndNaiveEvaluationGiveTheSameOutcome() {
        var generator = SplitMix64(seed: 42)
        let teams = ["billing", "ops", "web", "data", "search"]
        let sources = ["alertmanager", "grafana", "generic"]
        let words = ["disk", "database", "latency", "login", "cpu", "memory", "timeout"]
        func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }
        var rules: [Rule] = []
        for index in 0..<300 {
            var parts: [Condition] = []
            switch index % 5 {
            case 0: parts.append(.field(.label("team"), .equals(pick(teams))))
            case 1: parts.append(.field(.source, .oneOf([pick(sources), pick(sources)])))
            case 2: parts.append(.field(.severity, .equals(pick(["critical", "warning"]))))
            case 3: parts.append(.any([.field(.label("team"), .equals(pick(teams))), .field(.source, .equals(pick(sources)))]))
            default: break
            }
            if index % 3 == 0 { parts.append(.text(.title, .containsAny([pick(words)]))) }
            if index % 7 == 0 { parts.append(.field(.label("added"), .equals("yes"))) }
            let actions = RuleActions(
                category: index % 4 == 0 ? "c\(index)" : nil, priority: index % 6 == 0 ? .p2 : nil,
                labels: index == 50 ? ["added": "yes"] : [:], tags: ["t\(index % 9)"])
            rules.append(Rule(name: "r\(index)", when: .all(parts), then: actions, continueMatching: index % 2 == 0))
        }
        let set = RuleSet(groups: [
            RuleGroup(name: "first", mode: .first, rules: Array(rules[0..<150])),
            RuleGroup(name: "all", mode: .all, rules: Array(rules[150...])),
        ])
        for _ in 0..<500 {
            let incident = makeIncident(
                title: "\(pick(words)) \(pick(words)) on host", source: pick(sources),
                severity: pick([.critical, .warning, .info]), labels: ["team": pick(teams)])
            let indexed = set.evaluate(incident, at: RuleFixtures.noon, explain: false, useIndex: true)
            let naive = set.evaluate(incident, at: RuleFixtures.noon, explain: false, useIndex: false)
            #expect(indexed.outcome == naive.outcome)
            #expect(indexed.matched == naive.matched)
        }
    }

    @Test func rulesAreFiledUnderTheirMostSelectiveEquality() {
        #expect(
            RuleIndex.keys(for: .all([.field(.source, .equals("grafana")), .field(.label("team"), .oneOf(["a", "b"]))]))
                == [.label("team", "a"), .label("team", "b")])
        #expect(RuleIndex.keys(for: .any([.field(.source, .equals("grafana"))])) == nil)  // an `any` is not required
        #expect(RuleIndex.keys(for: .field(.label("added"), .equals("x")), addedLabels: ["added"]) == nil)
        let index = RuleIndex([
            Rule(name: "a", when: .field(.source, .equals("grafana")), then: RuleActions()),
            Rule(name: "b", when: .always, then: RuleActions()),
            Rule(name: "c", when: .field(.severity, .equals("critical")), then: RuleActions()),
        ])
        func candidates(_ incident: Incident) -> [Int] {
            var context = EvaluationContext(incident: incident, now: RuleFixtures.noon, explain: false)
            return index.candidates(for: &context)
        }
        #expect(candidates(makeIncident(source: "grafana", severity: .info)) == [0, 1])
        #expect(candidates(makeIncident(source: "generic", severity: .critical)) == [1, 2])
        // Words: a rule needing "disk" or "volume" is a candidate only when the title has one of them.
        let words = RuleIndex([
            Rule(name: "w", when: .text(.title, .containsAny(["disk", "volume full"])), then: RuleActions()),
            Rule(name: "both", when: .text(.title, .containsAll(["cpu", "hot"])), then: RuleActions()),
        ])
        var context = EvaluationContext(incident: makeIncident(title: "Disk and volume and disk"), now: RuleFixtures.noon, explain: false)
        #expect(words.candidates(for: &context) == [0])
        context = EvaluationContext(incident: makeIncident(title: "CPU is hot"), now: RuleFixtures.noon, explain: false)
        #expect(words.candidates(for: &context) == [1])
    }
}
