import TriageCore
import Yams

/// `rules.yaml`: ordered routing rules.
///
/// ```yaml
/// rules:
///   - name: billing-database
///     when:
///       source: alertmanager                 # one name or a list
///       severity: [critical, error]
///       service: billing
///       labels: { team: billing, env: "*" }   # "*" = present; a list = one of
///       text_contains: [database, postgres]
///     then: { category: database, priority: P1, vendor: acme }
///     continue: false
/// ```
enum RulesSection {
    static let conditionKeys: Set<String> = ["source", "severity", "service", "labels", "text_contains"]

    static func read(_ file: YAMLFile, vendorNames: Set<String>) -> RuleSet {
        guard let root = file.root, let top = file.mapping(root, "rules.yaml", allowed: ["rules"]) else {
            return RuleSet(rules: [])
        }
        guard let list = top["rules"] else {
            file.fail(root, "rules.yaml needs a 'rules' list")
            return RuleSet(rules: [])
        }
        var rules: [Rule] = []
        var names: Set<String> = []
        for node in file.sequence(list, "rules") {
            guard let map = file.mapping(node, "rule", allowed: ["name", "description", "when", "then", "continue"])
            else { continue }
            guard let name = file.requiredString(map, "name", in: node, "rule") else { continue }
            if !names.insert(name).inserted {
                file.fail(map["name"], "rule '\(name)' is defined twice")
            }
            let conditions = readConditions(file, map["when"], rule: name)
            guard let thenNode = map["then"] else {
                file.fail(node, "rule '\(name)' needs 'then' (what to set when it matches)")
                continue
            }
            let outcome = readOutcome(file, thenNode, rule: name, vendorNames: vendorNames)
            rules.append(
                Rule(
                    name: name,
                    when: conditions,
                    then: outcome,
                    continueMatching: file.bool(map["continue"], "continue") ?? false,
                    origin: file.location(node)
                )
            )
        }
        return RuleSet(rules: rules)
    }

    static func readConditions(_ file: YAMLFile, _ node: Node?, rule: String) -> RuleConditions {
        guard let map = file.mapping(node, "when of rule '\(rule)'", allowed: conditionKeys) else {
            return RuleConditions()
        }
        var conditions = RuleConditions()
        conditions.sources = file.strings(map["source"], "source")
        conditions.services = file.strings(map["service"], "service")
        conditions.textContains = file.strings(map["text_contains"], "text_contains")
        if conditions.textContains.contains(where: \.isEmpty) {
            file.fail(map["text_contains"], "text_contains entries must not be empty")
        }
        for text in file.strings(map["severity"], "severity") {
            let severity = Severity(rawValue: text.lowercased())
            if let severity, severity != .unknown || text.lowercased() == "unknown" {
                conditions.severities.append(severity)
            } else {
                let known = Severity.allCases.map(\.rawValue).joined(separator: ", ")
                file.fail(map["severity"], "unknown severity '\(text)' (known: \(known))")
            }
        }
        if let labelsNode = map["labels"] {
            if let labels = labelsNode.mapping {
                for (key, value) in labels {
                    guard let name = file.string(key, "label name") else { continue }
                    if let text = value.scalar?.string, text == "*" {
                        conditions.labels[name] = .present
                    } else {
                        let values = file.strings(value, "label '\(name)'")
                        if values.isEmpty {
                            file.fail(value, "label '\(name)' needs a value, a list of values, or \"*\"")
                        } else {
                            conditions.labels[name] = .oneOf(values)
                        }
                    }
                }
            } else {
                file.fail(labelsNode, "labels must map label names to values")
            }
        }
        return conditions
    }

    static func readOutcome(_ file: YAMLFile, _ node: Node, rule: String, vendorNames: Set<String>) -> RuleOutcome {
        guard let map = file.mapping(node, "then of rule '\(rule)'", allowed: ["category", "priority", "vendor"])
        else { return RuleOutcome() }
        var outcome = RuleOutcome()
        outcome.category = file.string(map["category"], "category")
        if let text = file.string(map["priority"], "priority") {
            outcome.priority = Priority(parsing: text)
            if outcome.priority == nil {
                file.fail(map["priority"], "priority '\(text)' is not one of P1, P2, P3, P4, P5")
            }
        }
        if let vendor = file.string(map["vendor"], "vendor") {
            if vendorNames.contains(vendor) {
                outcome.vendor = vendor
            } else {
                file.fail(map["vendor"], "rule '\(rule)' names vendor '\(vendor)', which is not defined in vendors.yaml")
            }
        }
        if outcome == RuleOutcome(), map.isEmpty {
            file.fail(node, "then of rule '\(rule)' sets nothing (use category, priority or vendor)")
        }
        return outcome
    }
}
