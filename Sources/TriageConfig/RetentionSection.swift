import Foundation
import TriageCore
import Yams

/// `retention.yaml`, optional in the configuration directory: how long data is kept (see
/// ``RetentionPolicy``). Without the file everything is kept.
///
/// ```yaml
/// retention:
///   check_every: 1h                 # time between sweeps (default 1h)
///   raw_payloads: 30d               # each age optional: left out, that kind is kept
///   closed_incidents: 400d
///   closed_incident_action: purge   # purge (default) | redact
///   rejected_payloads: 7d
///   delivered_messages: 7d
///   overrides:                      # first match wins; an age not given falls back to the one above
///     - source: alertmanager
///       raw_payloads: 7d
///     - vendor: acme
///       closed_incidents: 90d
/// ```
///
/// Durations are ``DurationText`` (`90s`, `12h`, `30d`, `1d12h`). Every problem names the file, the
/// line and the key path (`retention.overrides[1].closed_incidents`).
enum RetentionSection {
    static let file = "retention.yaml"
    static let ageKeys = RetentionKind.allCases.map(\.rawValue)
    static let topKeys = Set(["check_every", "closed_incident_action", "overrides"] + ageKeys)
    static let overrideKeys = Set(["source", "vendor"] + ageKeys)

    /// A source or vendor name an override refers to, checked once sources and vendors are loaded.
    struct Reference {
        var isSource: Bool
        var name: String
        var node: Node
    }

    /// What `retention.yaml` in `directory` says: `nil` policy when the file is absent.
    struct Outcome {
        var policy: RetentionPolicy?
        var issues: [ConfigIssue] = []
        var references: [Reference] = []
        var yaml: YAMLFile?

        /// Problems with override names that are not a defined source or vendor.
        func unknownNames(sources: Set<String>, vendors: Set<String>) -> [ConfigIssue] {
            guard let yaml else { return [] }
            let before = yaml.issues.count
            for reference in references {
                if reference.isSource, !sources.contains(reference.name) {
                    yaml.fail(reference.node, "retention override names source '\(reference.name)', which is not defined in sources.yaml")
                } else if !reference.isSource, !vendors.contains(reference.name) {
                    yaml.fail(reference.node, "retention override names vendor '\(reference.name)', which is not defined in vendors.yaml")
                }
            }
            return Array(yaml.issues[before...])
        }
    }

    /// Reads `retention.yaml` in `directory`, if there is one.
    static func read(directory: String) -> Outcome {
        let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
        guard FileManager.default.fileExists(atPath: path) else { return Outcome(policy: nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Outcome(policy: nil, issues: [ConfigIssue(file: path, line: 0, column: 0, message: "file is not readable")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Outcome(policy: nil, issues: [ConfigIssue(file: path, line: 0, column: 0, message: "file is not UTF-8 text")])
        }
        return read(YAMLFile(path: path, text: text))
    }

    /// Reads a parsed `retention.yaml`.
    static func read(_ yaml: YAMLFile) -> Outcome {
        var outcome = Outcome(policy: nil, yaml: yaml)
        outcome.policy = policy(yaml, references: &outcome.references)
        outcome.issues = yaml.issues
        return outcome
    }

    /// The policy `yaml` describes, noting the source and vendor names overrides refer to.
    static func policy(_ yaml: YAMLFile, references: inout [Reference]) -> RetentionPolicy? {
        guard let root = yaml.root, let top = yaml.mapping(root, "retention.yaml", allowed: ["retention"]) else { return nil }
        guard let node = top["retention"] else {
            yaml.fail(root, "retention.yaml needs a 'retention' mapping")
            return nil
        }
        guard let map = yaml.mapping(node, "retention", allowed: topKeys) else { return nil }
        var policy = RetentionPolicy()
        if let every = positive(map["check_every"], "retention.check_every", yaml) { policy.checkEvery = every }
        policy.defaults = ages(map, "retention", yaml)
        if let actionNode = map["closed_incident_action"], let text = yaml.string(actionNode, "retention.closed_incident_action") {
            if let action = RetentionPolicy.ClosedIncidentAction(rawValue: text) {
                policy.closedIncidentAction = action
            } else {
                yaml.fail(actionNode, "retention.closed_incident_action '\(text)' is not purge or redact")
            }
        }
        for (index, entry) in yaml.sequence(map["overrides"], "retention.overrides").enumerated() {
            let what = "retention.overrides[\(index)]"
            guard let item = yaml.mapping(entry, what, allowed: overrideKeys) else { continue }
            let source = name(item["source"], "\(what).source", yaml)
            let vendor = name(item["vendor"], "\(what).vendor", yaml)
            if item["source"] == nil, item["vendor"] == nil {
                yaml.fail(entry, "\(what) needs 'source' or 'vendor' (or both) to say what it applies to")
            }
            if ageKeys.allSatisfy({ item[$0] == nil }) {
                yaml.fail(entry, "\(what) sets no age (one of: \(ageKeys.joined(separator: ", ")))")
            }
            if let source, let node = item["source"] { references.append(Reference(isSource: true, name: source, node: node)) }
            if let vendor, let node = item["vendor"] { references.append(Reference(isSource: false, name: vendor, node: node)) }
            policy.overrides.append(RetentionPolicy.Override(source: source, vendor: vendor, ages: ages(item, what, yaml)))
        }
        return policy
    }

    /// The ages set in `map`.
    static func ages(_ map: Node.Mapping, _ what: String, _ yaml: YAMLFile) -> RetentionPolicy.Ages {
        var ages = RetentionPolicy.Ages()
        for kind in RetentionKind.allCases {
            ages[kind] = positive(map[kind.rawValue], "\(what).\(kind.rawValue)", yaml)
        }
        return ages
    }

    /// A duration greater than zero.
    static func positive(_ node: Node?, _ what: String, _ yaml: YAMLFile) -> Duration? {
        guard let node else { return nil }
        guard node.scalar != nil else {
            yaml.fail(node, "\(what) must be a duration such as 90s, 12h or 30d")
            return nil
        }
        guard let duration = yaml.duration(node, what) else { return nil }
        guard duration > .zero else {
            yaml.fail(node, "\(what) must be longer than 0s")
            return nil
        }
        return duration
    }

    /// A non-empty name.
    static func name(_ node: Node?, _ what: String, _ yaml: YAMLFile) -> String? {
        guard let node, let text = yaml.string(node, what) else { return nil }
        guard !text.isEmpty else {
            yaml.fail(node, "\(what) must not be empty")
            return nil
        }
        return text
    }
}
