import TriageCore
import Yams

/// `rules.yaml`: calendars, the priority matrix, SLA policies and the ordered rule groups.
///
/// ```yaml
/// groups:
///   - name: enrich
///     mode: all                    # every matching rule applies
///     rules: [...]
///   - name: route                  # mode: first (default): the first match applies
///     rules:
///       - name: billing-database
///         description: Database alerts from billing go to the DBA vendor.
///         when: {labels: {team: billing}, text: {contains_any: [database, postgres]}}
///         then: {category: database, priority: P1, vendor: acme-dba}
///         continue: false          # true: later rules of the group still run
/// ```
/// A top-level `rules:` list instead of `groups:` is one first-match group named `rules`.
enum RulesSection {
    static let topKeys: Set<String> = [
        "rules", "groups", "calendars", "priority_matrix", "sla_policies", "classifier", "duplicates",
    ]
    static let ruleKeys: Set<String> = ["name", "description", "when", "then", "continue"]

    struct References {
        var sources: Set<String>
        var vendors: Set<String>
        /// vendors.yaml's escalation ladders, which `sla_policies` may name.
        var escalations: [String: EscalationLadder] = [:]
    }

    static func read(_ file: YAMLFile, references: References) -> RuleSet {
        guard let root = file.root, let top = file.mapping(root, "rules.yaml", allowed: topKeys) else {
            return RuleSet(rules: [])
        }
        let zones = ZoneCatalog()
        let calendars = CalendarsSection.calendars(top["calendars"], file: file, zones: zones)
        let matrix = CalendarsSection.matrix(top["priority_matrix"], file: file)
        let policies = CalendarsSection.slaPolicies(
            top["sla_policies"], file: file, calendars: calendars, ladders: references.escalations)
        var names: [String: Node] = [:]
        var groups: [RuleGroup] = []
        func readRules(_ list: Node, group: String, mode: RuleGroup.Mode) -> RuleGroup {
            var rules: [Rule] = []
            for node in file.sequence(list, "rules") {
                guard let map = file.mapping(node, "rule", allowed: ruleKeys),
                    let name = file.requiredString(map, "name", in: node, "rule")
                else { continue }
                if let earlier = names[name] {
                    file.fail(map["name"], "rule '\(name)' is defined twice (first at \(file.location(earlier)))")
                }
                names[name] = node
                let conditions = ConditionSection(
                    file: file, rule: name, sources: references.sources, calendars: Set(calendars.keys), zones: zones)
                let when = conditions.read(map["when"])
                guard let thenNode = map["then"] else {
                    file.fail(node, "rule '\(name)' needs 'then' (what to do when it matches)")
                    continue
                }
                let then = ActionsSection(file: file, rule: name, vendors: references.vendors, slaPolicies: Set(policies.keys))
                    .read(thenNode)
                let continues = file.bool(map["continue"], "continue") ?? false
                if continues, mode == .all {
                    file.fail(map["continue"], "continue applies to first-match groups; in mode 'all' every rule runs")
                }
                rules.append(
                    Rule(
                        name: name, description: file.string(map["description"], "description"), when: when,
                        then: then, continueMatching: continues, origin: file.location(node)))
            }
            return RuleGroup(name: group, mode: mode, rules: rules)
        }
        switch (top["rules"], top["groups"]) {
        case (let list?, nil):
            groups = [readRules(list, group: "rules", mode: .first)]
        case (nil, let list?):
            var groupNames: Set<String> = []
            for node in file.sequence(list, "groups") {
                guard let map = file.mapping(node, "group", allowed: ["name", "mode", "rules"]),
                    let name = file.requiredString(map, "name", in: node, "group")
                else { continue }
                if !groupNames.insert(name).inserted { file.fail(map["name"], "group '\(name)' is defined twice") }
                var mode = RuleGroup.Mode.first
                if let text = file.string(map["mode"], "mode") {
                    if let parsed = RuleGroup.Mode(rawValue: text) { mode = parsed } else {
                        file.fail(map["mode"], "group mode '\(text)' is not first or all")
                    }
                }
                guard let rules = map["rules"] else {
                    file.fail(node, "group '\(name)' needs a 'rules' list")
                    continue
                }
                groups.append(readRules(rules, group: name, mode: mode))
            }
        case (.some, .some):
            file.fail(top["groups"], "use either 'rules' (one group) or 'groups', not both")
        case (nil, nil):
            file.fail(root, "rules.yaml needs a 'rules' list or 'groups'")
        }
        // Reachability is judged on rules that read cleanly: a rule whose conditions failed to
        // parse would look like a catch-all and bury the real problem.
        if file.issues.isEmpty {
            for problem in groups.flatMap(RuleLint.unreachable) + RuleLint.afterStop(groups) {
                file.fail(names[problem.rule], problem.message)
            }
        }
        return RuleSet(
            groups: groups, matrix: matrix, slaPolicies: policies,
            resources: RuleSet.Resources(calendars: calendars, zones: zones.zones))
    }
}
