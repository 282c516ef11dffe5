import Testing

@testable import TriageCore

/// Every field operator, as a table: condition, incident, whether it holds.
struct RuleOperatorTests {
    static let incident = makeIncident(
        title: "Disk almost full on db-7", description: "Données: 97% utilisées sur /var", source: "alertmanager",
        severity: .critical, labels: ["team": "billing", "instance": "db-7:9100", "cpu": "92.5", "empty": ""],
        service: "Checkout")

    struct Case: Sendable, CustomTestStringConvertible {
        var condition: Condition
        var holds: Bool
        var testDescription: String { "\(condition) → \(holds)" }
        init(_ condition: Condition, _ holds: Bool) {
            self.condition = condition
            self.holds = holds
        }
    }

    static let cases: [Case] = [
        // equals / not equals / one of
        Case(.field(.source, .equals("alertmanager")), true),
        Case(.field(.source, .equals("grafana")), false),
        Case(.field(.label("team"), .equals("billing")), true),
        Case(.field(.label("team"), .equals("Billing")), false),  // labels are exact
        Case(.field(.service, .equals("checkout")), true),  // services ignore case
        Case(.field(.severity, .equals("CRITICAL")), true),  // closed sets ignore case
        Case(.field(.label("team"), .notEquals("ops")), true),
        Case(.field(.label("team"), .notEquals("billing")), false),
        Case(.field(.label("missing"), .notEquals("x")), false),  // a missing field equals nothing, not even "not x"
        Case(.field(.severity, .oneOf(["error", "critical"])), true),
        Case(.field(.severity, .oneOf(["error", "warning"])), false),
        // exists / missing
        Case(.field(.label("team"), .exists(true)), true),
        Case(.field(.label("nope"), .exists(true)), false),
        Case(.field(.label("nope"), .exists(false)), true),
        Case(.field(.label("empty"), .exists(true)), false),  // empty counts as missing
        // regex (anchored)
        Case(.field(.label("instance"), .regex("db-[0-9]+:9100")), true),
        Case(.field(.label("instance"), .regex("db-[0-9]+")), false),  // must match the whole value
        Case(.field(.label("instance"), .regex("db-.*")), true),
        Case(.field(.title, .regex("(?i).*DISK.*")), true),
        // prefix / suffix
        Case(.field(.label("instance"), .prefix("db-")), true),
        Case(.field(.label("instance"), .suffix(":9100")), true),
        Case(.field(.label("instance"), .prefix("web-")), false),
        Case(.field(.service, .prefix("check")), true),
        // numbers
        Case(.field(.label("cpu"), .compare(.gt, 90)), true),
        Case(.field(.label("cpu"), .compare(.gte, 92.5)), true),
        Case(.field(.label("cpu"), .compare(.lt, 92.5)), false),
        Case(.field(.label("cpu"), .compare(.lte, 92.5)), true),
        Case(.field(.label("team"), .compare(.gt, 1)), false),  // not a number: does not hold
        Case(.field(.occurrences, .compare(.gte, 1)), true),
        // text
        Case(.text(.title, .containsAny(["disk full", "almost full"])), true),
        Case(.text(.title, .containsAny(["disk"])), true),
        Case(.text(.title, .containsAny(["dis"])), false),  // word boundaries
        Case(.text(.text, .containsAll(["donnees", "var"])), true),  // accents folded, description included
        Case(.text(.title, .containsAll(["disk", "network"])), false),
        Case(.text(.title, .containsAny(["DB 7"])), true),  // punctuation splits words
        Case(.text(.title, .similarTo(["disk nearly full on db-7"], threshold: 0.5)), true),
        Case(.text(.title, .similarTo(["payment gateway timeout"], threshold: 0.5)), false),
    ]

    @Test(arguments: cases)
    func operators(_ item: Case) {
        #expect(RuleFixtures.holds(item.condition, Self.incident) == item.holds)
    }

    @Test func combinators() {
        let team = Condition.field(.label("team"), .equals("billing"))
        let grafana = Condition.field(.source, .equals("grafana"))
        let disk = Condition.text(.title, .containsAny(["disk"]))
        let table: [(Condition, Bool)] = [
            (.all([team, disk]), true),
            (.all([team, grafana]), false),
            (.any([grafana, disk]), true),
            (.any([grafana, .not(team)]), false),
            (.not(grafana), true),
            (.not(.not(team)), true),
            (.all([.any([grafana, .all([team, .not(grafana)])]), .not(.any([grafana]))]), true),
            (.always, true),
            (.any([]), false),
        ]
        for (condition, expected) in table {
            #expect(RuleFixtures.holds(condition, Self.incident) == expected, "\(condition)")
        }
    }

    @Test func explanationsSayWhatHeldAndWhatFailed() {
        let incident = Self.incident
        #expect(
            RuleFixtures.reason(.all([.field(.label("team"), .equals("billing")), .text(.title, .containsAny(["disk"]))]), incident)
                == "labels.team = 'billing', title contains 'disk'")
        #expect(
            RuleFixtures.reason(.field(.label("team"), .equals("ops")), incident) == "labels.team is 'billing', wants 'ops'")
        #expect(RuleFixtures.reason(.field(.label("zone"), .equals("eu")), incident) == "labels.zone is missing")
        #expect(
            RuleFixtures.reason(.field(.label("cpu"), .compare(.gt, 95)), incident) == "labels.cpu is '92.5', wants > 95")
        #expect(
            RuleFixtures.reason(.any([.field(.source, .equals("grafana")), .field(.label("team"), .equals("ops"))]), incident)
                == "none of: source is 'alertmanager', wants 'grafana'; labels.team is 'billing', wants 'ops'")
        #expect(
            RuleFixtures.reason(.not(.field(.label("team"), .equals("billing"))), incident)
                == "not (labels.team = 'billing') but it held")
        #expect(
            RuleFixtures.reason(.field(.label("instance"), .regex("web-.*")), incident)
                == "labels.instance 'db-7:9100' does not match /web-.*/")
        #expect(
            RuleFixtures.reason(.text(.title, .containsAll(["disk", "network"])), incident) == "title lacks [\"network\"]")
    }
}
