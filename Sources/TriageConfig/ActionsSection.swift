import TriageCore
import Yams

/// A rule's `then:` in `rules.yaml`.
///
/// ```yaml
/// then:
///   category: database
///   subcategory: replication
///   impact: high                 # with urgency: priority from the matrix
///   urgency: medium
///   priority: P1                 # or set it outright
///   raise_priority: P2           # at least P2, whatever else was set
///   vendor: acme-dba             # or vendor_pool: [acme-dba, globex-infra]
///   sla_policy: expedite
///   labels: {escalation: dba}
///   tags: [customer-facing]
///   grouping_key: "{service}/{labels.alertname}"
///   suppress: known noisy disk alert in staging
///   stop: true                   # no later rule or group runs
/// ```
struct ActionsSection {
    let file: YAMLFile
    let rule: String
    let vendors: Set<String>
    let slaPolicies: Set<String>

    static let keys: Set<String> = [
        "category", "subcategory", "impact", "urgency", "priority", "raise_priority", "vendor", "vendor_pool",
        "sla_policy", "labels", "tags", "grouping_key", "suppress", "stop",
    ]

    func read(_ node: Node) -> RuleActions {
        guard let map = file.mapping(node, "then of rule '\(rule)'", allowed: Self.keys) else { return RuleActions() }
        if map.isEmpty { file.fail(node, "then of rule '\(rule)' does nothing (known: \(Self.keys.sorted().joined(separator: ", ")))") }
        var actions = RuleActions()
        actions.category = file.string(map["category"], "category")
        actions.subcategory = file.string(map["subcategory"], "subcategory")
        actions.impact = level(map["impact"], "impact")
        actions.urgency = level(map["urgency"], "urgency")
        if (actions.impact == nil) != (actions.urgency == nil), map["priority"] == nil {
            file.fail(map["impact"] ?? map["urgency"], "impact and urgency go together (the matrix needs both)")
        }
        actions.priority = priority(map["priority"], "priority")
        actions.raisePriority = priority(map["raise_priority"], "raise_priority")
        if let name = file.string(map["vendor"], "vendor") {
            if vendors.contains(name) { actions.vendor = name } else {
                file.fail(map["vendor"], "rule '\(rule)' names vendor '\(name)', which is not defined in vendors.yaml")
            }
        }
        if let pool = map["vendor_pool"] {
            for name in file.strings(pool, "vendor_pool") {
                if vendors.contains(name) { actions.vendorPool.append(name) } else {
                    file.fail(pool, "vendor_pool of rule '\(rule)' names vendor '\(name)', which is not defined in vendors.yaml")
                }
            }
            if map["vendor"] != nil { file.fail(pool, "use vendor or vendor_pool, not both") }
        }
        if let name = file.string(map["sla_policy"], "sla_policy") {
            if slaPolicies.contains(name) { actions.slaPolicy = name } else {
                let known = slaPolicies.sorted().joined(separator: ", ")
                file.fail(map["sla_policy"], "SLA policy '\(name)' is not defined (sla_policies: \(known.isEmpty ? "none" : known))")
            }
        }
        if let labels = map["labels"] {
            if let pairs = labels.mapping {
                for (key, value) in pairs {
                    if let name = file.string(key, "label name"), let text = file.string(value, "label '\(name)'") {
                        actions.labels[name] = text
                    }
                }
            } else {
                file.fail(labels, "labels must map label names to values")
            }
        }
        actions.tags = file.strings(map["tags"], "tags")
        if let key = file.string(map["grouping_key"], "grouping_key") {
            let unknown = GroupingKey.unknownPlaceholders(key)
            if unknown.isEmpty { actions.groupingKey = key } else {
                file.fail(map["grouping_key"], "grouping_key uses unknown fields \(unknown) (use source, service, severity, title, dedup_key, external_id, labels.<name>)")
            }
        }
        if let reason = file.string(map["suppress"], "suppress") {
            if reason.isEmpty { file.fail(map["suppress"], "suppress needs a reason") } else { actions.suppress = reason }
            if actions.vendor != nil || !actions.vendorPool.isEmpty {
                file.fail(map["suppress"], "a suppressed incident is never dispatched; drop vendor or suppress")
            }
        }
        actions.stop = file.bool(map["stop"], "stop") ?? false
        return actions
    }

    func level(_ node: Node?, _ what: String) -> ImpactLevel? {
        guard let text = file.string(node, what) else { return nil }
        guard let level = ImpactLevel(rawValue: text.lowercased()) else {
            file.fail(node, "\(what) '\(text)' is not high, medium or low")
            return nil
        }
        return level
    }

    func priority(_ node: Node?, _ what: String) -> Priority? {
        guard let text = file.string(node, what) else { return nil }
        guard let value = Priority(parsing: text) else {
            file.fail(node, "\(what) '\(text)' is not one of P1, P2, P3, P4, P5")
            return nil
        }
        return value
    }
}
