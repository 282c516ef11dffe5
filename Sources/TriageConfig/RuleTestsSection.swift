import Foundation
import TriageCore
import Yams

/// Rule test files (`rules/tests/*.yaml`):
///
/// ```yaml
/// tests:
///   - name: billing database outage goes to the DBA vendor at P1
///     at: 2026-11-30T10:00:00+01:00        # optional; default Monday 2026-01-05 12:00 UTC
///     incident:
///       source: alertmanager
///       title: Postgres replication broken on billing-db-2
///       severity: critical
///       labels: {team: billing}
///     expect: {category: database, priority: P1, vendor: acme-dba, suppressed: false}
/// ```
public enum RuleTestsSection {
    static let caseKeys: Set<String> = ["name", "at", "incident", "expect"]
    static let incidentKeys: Set<String> = [
        "source", "title", "description", "severity", "service", "labels", "status", "external_id", "dedup_key",
        "occurrences",
    ]
    static let expectKeys: Set<String> = [
        "category", "subcategory", "priority", "vendor", "suppressed", "tags", "labels", "matched", "grouping_key",
        "sla_policy",
    ]

    /// Reads every `*.yaml` test file in `paths` (files or directories).
    public static func load(_ paths: [String]) throws(ConfigError) -> [RuleTestCase] {
        var issues: [ConfigIssue] = []
        var cases: [RuleTestCase] = []
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                issues.append(ConfigIssue(file: path, line: 0, column: 0, message: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                issues.append(ConfigIssue(file: path, line: 0, column: 0, message: "not readable UTF-8 text"))
                continue
            }
            let file = YAMLFile(path: path, text: text)
            cases += read(file)
            issues += file.issues
        }
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        return cases
    }

    static func read(_ file: YAMLFile) -> [RuleTestCase] {
        guard let root = file.root, let top = file.mapping(root, "test file", allowed: ["tests"]) else { return [] }
        var cases: [RuleTestCase] = []
        for node in file.sequence(top["tests"], "tests") {
            guard let map = file.mapping(node, "test", allowed: caseKeys),
                let name = file.requiredString(map, "name", in: node, "test")
            else { continue }
            var at = RuleTestCase.defaultInstant
            if let text = file.string(map["at"], "at") {
                if let date = RFC3339.parse(text) { at = date } else {
                    file.fail(map["at"], "at '\(text)' is not an RFC 3339 time like 2026-11-30T10:00:00+01:00")
                }
            }
            guard let incidentNode = map["incident"], let expectNode = map["expect"] else {
                file.fail(node, "test '\(name)' needs 'incident' and 'expect'")
                continue
            }
            guard let incident = readIncident(incidentNode, file: file, at: at) else { continue }
            cases.append(
                RuleTestCase(
                    name: name, origin: file.location(node), at: at, incident: incident,
                    expect: readExpectation(expectNode, file: file)))
        }
        return cases
    }

    static func readIncident(_ node: Node, file: YAMLFile, at: Date) -> Incident? {
        guard let map = file.mapping(node, "incident", allowed: incidentKeys) else { return nil }
        var labels: [String: String] = [:]
        for (key, value) in map["labels"]?.mapping ?? [:] {
            if let name = key.string, let text = file.string(value, "label '\(name)'") { labels[name] = text }
        }
        var severity = Severity.unknown
        if let text = file.string(map["severity"], "severity") {
            if let parsed = Severity(rawValue: text.lowercased()) { severity = parsed } else {
                file.fail(map["severity"], "unknown severity '\(text)' (known: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        let draft = IncidentDraft(
            source: file.string(map["source"], "source") ?? "generic",
            externalID: file.string(map["external_id"], "external_id"),
            dedupKey: file.string(map["dedup_key"], "dedup_key"),
            title: file.string(map["title"], "title") ?? "",
            description: file.string(map["description"], "description") ?? "",
            severity: severity, labels: labels, service: file.string(map["service"], "service"))
        var generator = SystemRandomNumberGenerator()
        var incident = Incident(id: IncidentID(now: at, using: &generator), draft: draft, receivedAt: at, rawPayloadID: 0)
        if let text = file.string(map["status"], "status") {
            if let status = IncidentStatus(rawValue: text) { incident.status = status } else {
                file.fail(map["status"], "unknown status '\(text)'")
            }
        }
        incident.occurrences = file.int(map["occurrences"], "occurrences") ?? 1
        return incident
    }

    static func readExpectation(_ node: Node, file: YAMLFile) -> RuleTestCase.Expectation {
        var expect = RuleTestCase.Expectation()
        guard let map = file.mapping(node, "expect", allowed: expectKeys) else { return expect }
        func optional(_ key: String) -> String?? {
            guard let node = map[key] else { return nil }
            if node.tag.rawValue == Tag.Name.null.rawValue || node.scalar?.string == "~" || node.scalar?.string == "null" {
                return .some(nil)
            }
            return .some(file.string(node, key))
        }
        expect.category = optional("category")
        expect.subcategory = optional("subcategory")
        expect.vendor = optional("vendor")
        expect.groupingKey = optional("grouping_key")
        expect.slaPolicy = optional("sla_policy")
        if let text = file.string(map["priority"], "priority") {
            expect.priority = Priority(parsing: text)
            if expect.priority == nil { file.fail(map["priority"], "priority '\(text)' is not one of P1 … P5") }
        }
        if let node = map["suppressed"] {
            if let flag = node.bool { expect.suppressed = flag ? .yes : .no } else if let reason = file.string(node, "suppressed") {
                expect.suppressed = .because(reason)
            }
        }
        if map["tags"] != nil { expect.tags = file.strings(map["tags"], "tags") }
        if map["matched"] != nil { expect.matched = file.strings(map["matched"], "matched") }
        if let labels = map["labels"]?.mapping {
            var expected: [String: String] = [:]
            for (key, value) in labels { if let name = key.string, let text = file.string(value, name) { expected[name] = text } }
            expect.labels = expected
        }
        return expect
    }
}
