import Foundation
import TriageConfig

/// What the configuration target feeds its bytes to: ``ConfigLoader`` with the fuzzer's bytes as the
/// text of one file and small valid texts as the other two. The input is `rules.yaml`, unless its first
/// line starts with `#sources` or `#vendors` (a YAML comment, so the text stays as it was written).
///
/// The other two are small on purpose: Yams takes milliseconds per kilobyte under the sanitizers, and
/// the repository's full files would make every execution pay for parsing them. They define what the
/// seeds refer to (every source kind, the sample vendors, an escalation), so that a rule, source or
/// vendor that is valid on its own loads without issues.
///
/// Any text may be rejected, but only with a ``ConfigError`` whose every issue names its file and
/// says what is wrong; anything else (a trap, a sanitizer report, a hang) is a finding.
public enum ConfigHarness {
    /// Which of the three configuration files the fuzzer writes.
    public enum File: Sendable {
        /// `sources.yaml`: the webhook sources.
        case sources
        /// `vendors.yaml`: vendors, calendars, escalations, assignment weights.
        case vendors
        /// `rules.yaml`: triage rules, classifier and duplicate settings.
        case rules
    }

    /// The configuration folder (for `templates/` and classifier training files): `$TRIAGE_FUZZ_RULES`,
    /// else `rules/` of the checkout this was built from.
    static let directory: String = {
        if let given = ProcessInfo.processInfo.environment["TRIAGE_FUZZ_RULES"], !given.isEmpty { return given }
        // #filePath is …/Fuzz/Sources/FuzzSupport/ConfigHarness.swift.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path
    }()

    /// A valid `sources.yaml`: one source per kind, named after it.
    static let sources = """
        sources:
          - {name: generic, kind: generic}
          - {name: alertmanager, kind: alertmanager}
          - {name: grafana, kind: grafana}
          - {name: pagerduty-events, kind: pagerduty-events}
          - {name: pagerduty-webhook, kind: pagerduty-webhook}
          - {name: opsgenie, kind: opsgenie}
          - {name: jira, kind: jira}
          - {name: github, kind: github}
          - {name: servicenow, kind: servicenow}
          - {name: zendesk, kind: zendesk}

        """

    /// A valid `vendors.yaml`: the sample vendors' names and the `standard` escalation.
    static let vendors = """
        default_vendor: initech-apps
        escalations:
          standard: [{at: 50%, notify: vendor}]
        vendors:
          - {name: acme-dba, endpoint: "http://127.0.0.1:9101/acme"}
          - {name: globex-infra, endpoint: "http://127.0.0.1:9101/globex"}
          - {name: initech-apps, endpoint: "http://127.0.0.1:9101/initech"}
          - {name: umbrella-apps, endpoint: "http://127.0.0.1:9101/umbrella"}
          - {name: hooli-legacy, endpoint: "http://127.0.0.1:9101/hooli"}

        """

    /// A valid `rules.yaml` with one rule.
    static let rules = """
        rules:
          - {name: database, when: {title: {regex: "(?i)postgres"}}, then: {category: database, vendor: acme-dba}}

        """

    /// Checked once: the three small texts load without issues (else the targets would only ever see
    /// a failing configuration, and the fuzzing would be worth little).
    static let companionsLoad: Void = {
        do {
            _ = try ConfigLoader.load(sources: sources, vendors: vendors, rules: rules, directory: directory)
        } catch {
            fatalError("fuzz setup: the companion configuration no longer loads; update ConfigHarness:\n\(error)")
        }
    }()

    /// The file an input is: see the type's description.
    public static func file(of text: String) -> File {
        if text.hasPrefix("#sources") { return .sources }
        if text.hasPrefix("#vendors") { return .vendors }
        return .rules
    }

    /// Loads a configuration with `text` as the file ``file(of:)`` picks.
    public static func run(_ text: String) {
        run(file(of: text), text)
    }

    /// Loads a configuration whose `file` is `text`; traps if a rejection does not say where and what.
    public static func run(_ file: File, _ text: String) {
        _ = companionsLoad
        do {
            _ = try ConfigLoader.load(
                sources: file == .sources ? text : sources,
                vendors: file == .vendors ? text : vendors,
                rules: file == .rules ? text : rules,
                directory: directory)
        } catch {
            guard !error.issues.isEmpty else { fatalError("a configuration was rejected without an issue") }
            for issue in error.issues where issue.file.isEmpty || issue.message.isEmpty || issue.line < 0 {
                fatalError("an issue that does not say where and what: \(issue)")
            }
        }
    }
}
