import TriageCore
import Yams

/// A rule's `when:` in `rules.yaml`, read into a ``Condition`` with every problem located.
///
/// ```yaml
/// when:
///   source: alertmanager                   # a scalar: equals
///   severity: [critical, error]            # a list: one of
///   labels: {team: billing, env: "*"}      # label shorthand: "*" = present
///   labels.instance: {regex: "db-[0-9]+:9100"}
///   labels.cpu_percent: {gt: 90}
///   service: {not: checkout, prefix: pay}  # several operators: all hold
///   title: {contains_any: [disk full, no space left]}
///   text: {similar_to: ["connection pool exhausted"], threshold: 0.5}
///   time: {weekdays: [sat, sun], between: "22:00-06:00", timezone: Europe/Paris}
///   any: [{source: grafana}, {labels.team: ops}]
///   not: {labels.env: staging}
/// ```
struct ConditionSection {
    let file: YAMLFile
    let rule: String
    let sources: Set<String>
    let calendars: Set<String>
    let zones: ZoneCatalog

    static let fieldOperators: Set<String> = [
        "equals", "not", "one_of", "not_one_of", "exists", "regex", "prefix", "suffix", "gt", "gte", "lt", "lte",
        "contains_any", "contains_all", "similar_to", "threshold",
    ]
    static let timeKeys: Set<String> = [
        "weekdays", "between", "dates", "timezone", "business_hours", "outside_business_hours",
    ]

    func read(_ node: Node?) -> Condition {
        guard let node else { return .always }
        guard let map = node.mapping else {
            file.fail(node, "when of rule '\(rule)' must be a mapping of conditions")
            return .always
        }
        var parts: [Condition] = []
        for (keyNode, value) in map {
            guard let key = keyNode.string else {
                file.fail(keyNode, "condition keys must be strings")
                continue
            }
            if let part = readEntry(key, keyNode, value) { parts.append(part) }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    func readEntry(_ key: String, _ keyNode: Node, _ value: Node) -> Condition? {
        switch key {
        case "all", "any":
            let list = file.sequence(value, key)
            if list.isEmpty { file.fail(value, "\(key) needs at least one condition") }
            let parts = list.map(read)
            return key == "all" ? .all(parts) : .any(parts)
        case "not":
            return .not(read(value))
        case "time":
            return readTime(value)
        case "labels":
            return readLabelShorthand(value)
        default:
            guard let field = RuleField(parsing: key) else {
                let known = (RuleField.names.keys.sorted() + ["labels.<name>", "all", "any", "not", "time"])
                    .joined(separator: ", ")
                file.fail(keyNode, "unknown condition '\(key)' in rule '\(rule)' (known: \(known))")
                return nil
            }
            return readField(field, value)
        }
    }

    func readLabelShorthand(_ value: Node) -> Condition? {
        guard let map = value.mapping else {
            file.fail(value, "labels must map label names to values")
            return nil
        }
        var parts: [Condition] = []
        for (key, entry) in map {
            guard let name = file.string(key, "label name") else { continue }
            if entry.scalar?.string == "*" {
                parts.append(.field(.label(name), .exists(true)))
            } else if let part = readField(.label(name), entry) {
                parts.append(part)
            }
        }
        return .all(parts)
    }

    func readField(_ field: RuleField, _ value: Node) -> Condition? {
        if value.scalar != nil {
            guard let text = file.string(value, "\(field)") else { return nil }
            return checked(field, .equals(text), value)
        }
        if value.sequence != nil {
            let values = file.strings(value, "\(field)")
            if values.isEmpty { file.fail(value, "\(field): an empty list matches nothing") }
            return checked(field, .oneOf(values), value)
        }
        guard let map = file.mapping(value, "condition on \(field)", allowed: Self.fieldOperators) else { return nil }
        var parts: [Condition] = []
        for (keyNode, operand) in map {
            guard let op = keyNode.string else { continue }
            if op == "threshold" {
                if map["similar_to"] == nil { file.fail(keyNode, "threshold applies to similar_to only") }
                continue
            }
            if let part = readOperator(op, field, operand, threshold: map["threshold"]) { parts.append(part) }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    func readOperator(_ op: String, _ field: RuleField, _ operand: Node, threshold: Node?) -> Condition? {
        switch op {
        case "equals": return file.string(operand, "\(field).equals").flatMap { checked(field, .equals($0), operand) }
        case "not":
            if operand.sequence != nil {
                return checked(field, .oneOf(file.strings(operand, "\(field).not")), operand).map { .not($0) }
            }
            return file.string(operand, "\(field).not").flatMap { checked(field, .notEquals($0), operand) }
        case "one_of": return checked(field, .oneOf(file.strings(operand, "\(field).one_of")), operand)
        case "not_one_of": return checked(field, .oneOf(file.strings(operand, "\(field).not_one_of")), operand).map { .not($0) }
        case "exists": return file.bool(operand, "\(field).exists").map { .field(field, .exists($0)) }
        case "prefix": return file.string(operand, "\(field).prefix").map { .field(field, .prefix(normalised(field, $0))) }
        case "suffix": return file.string(operand, "\(field).suffix").map { .field(field, .suffix(normalised(field, $0))) }
        case "regex": return readRegex(field, operand)
        case "gt", "gte", "lt", "lte": return readComparison(op, field, operand)
        case "contains_any", "contains_all", "similar_to": return readText(op, field, operand, threshold: threshold)
        default: return nil
        }
    }

    func normalised(_ field: RuleField, _ text: String) -> String {
        field.closedValues != nil || field == .service ? text.lowercased() : text
    }

    /// Checks literals against closed value sets and source names.
    func checked(_ field: RuleField, _ test: FieldTest, _ node: Node) -> Condition? {
        let values: [String]
        switch test {
        case .equals(let value), .notEquals(let value): values = [value]
        case .oneOf(let list): values = list
        default: values = []
        }
        if let known = field.closedValues {
            for value in values where !known.contains(where: { $0.lowercased() == value.lowercased() }) {
                file.fail(node, "unknown \(field) '\(value)' (known: \(known.joined(separator: ", ")))")
                return nil
            }
        }
        if field == .source {
            for value in values where !sources.contains(value) {
                file.fail(node, "source '\(value)' is not defined in sources.yaml")
                return nil
            }
        }
        return .field(field, test)
    }

    func readRegex(_ field: RuleField, _ operand: Node) -> Condition? {
        guard let pattern = file.string(operand, "\(field).regex") else { return nil }
        do {
            _ = try Regex(pattern)
        } catch {
            file.fail(operand, "\(field): bad regex '\(pattern)': \(error)")
            return nil
        }
        return .field(field, .regex(pattern))
    }

    func readComparison(_ op: String, _ field: RuleField, _ operand: Node) -> Condition? {
        if field.closedValues != nil || field.isText {
            file.fail(operand, "\(field) is not a number; \(op) compares numbers (use one_of or regex)")
            return nil
        }
        guard let text = operand.scalar?.string, let number = Double(text), number.isFinite else {
            file.fail(operand, "\(field).\(op) needs a number, got '\(operand.scalar?.string ?? "a \(operand.kindName)")'")
            return nil
        }
        return .field(field, .compare(FieldTest.Comparison(rawValue: op) ?? .gt, number))
    }

    func readText(_ op: String, _ field: RuleField, _ operand: Node, threshold: Node?) -> Condition? {
        guard field.isText else {
            file.fail(operand, "\(op) applies to title, description or text, not \(field)")
            return nil
        }
        let phrases = file.strings(operand, "\(field).\(op)")
        if phrases.isEmpty { file.fail(operand, "\(field).\(op) needs at least one word or phrase") }
        for phrase in phrases where Phrase(phrase) == nil {
            file.fail(operand, "\(field).\(op): '\(phrase)' has no words to match")
        }
        switch op {
        case "contains_any": return .text(field, .containsAny(phrases))
        case "contains_all": return .text(field, .containsAll(phrases))
        default:
            var limit = 0.6
            if let threshold {
                if let value = file.double(threshold, "\(field).threshold") {
                    if (0...1).contains(value) { limit = value } else { file.fail(threshold, "threshold must be between 0 and 1") }
                }
            }
            return .text(field, .similarTo(phrases, threshold: limit))
        }
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: "scalar"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }
}
