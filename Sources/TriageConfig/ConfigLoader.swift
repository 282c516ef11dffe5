import Foundation
import TriageCore
import Yams

/// Loads `sources.yaml`, `vendors.yaml` and `rules.yaml` from a directory, and `retention.yaml` when it is there.
///
/// Every problem in every file is collected and thrown at once as a ``ConfigError`` whose lines
/// read `rules/vendors.yaml:12:7: unknown key 'skils' in vendor (known: …)`.
public enum ConfigLoader {
    public static let sourcesFile = "sources.yaml"
    public static let vendorsFile = "vendors.yaml"
    public static let rulesFile = "rules.yaml"

    /// Loads and validates the configuration in `directory`.
    /// - Parameter environment: Where variables the configuration names are looked up at load
    ///   time (the redaction hash key, `redaction.key_env`).
    public static func load(
        directory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> TriageConfiguration {
        var issues: [ConfigIssue] = []
        func read(_ name: String) -> YAMLFile? {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                issues.append(ConfigIssue(file: path, line: 0, column: 0, message: "file not found or not readable"))
                return nil
            }
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(ConfigIssue(file: path, line: 0, column: 0, message: "file is not UTF-8 text"))
                return nil
            }
            return YAMLFile(path: path, text: text)
        }
        let files = (read(sourcesFile), read(vendorsFile), read(rulesFile))
        // retention.yaml is optional: without it everything is kept.
        let retention = RetentionSection.read(directory: directory)
        guard let sourcesYAML = files.0, let vendorsYAML = files.1, let rulesYAML = files.2 else {
            throw ConfigError(issues: issues + [files.0, files.1, files.2].compactMap { $0 }.flatMap(\.issues) + retention.issues)
        }
        var configuration = try load(
            sources: sourcesYAML, vendors: vendorsYAML, rules: rulesYAML, earlier: issues + retention.issues, environment: environment)
        let unknown = retention.unknownNames(
            sources: Set(configuration.sources.map(\.name)), vendors: Set(configuration.vendors.map(\.name)))
        guard unknown.isEmpty else { throw ConfigError(issues: unknown) }
        configuration.retention = retention.policy
        return configuration
    }

    /// Loads a configuration from three YAML texts (for tests and `rules check` on inline files).
    public static func load(
        sources: String,
        vendors: String,
        rules: String,
        directory: String = "rules",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> TriageConfiguration {
        try load(
            sources: YAMLFile(path: "\(directory)/\(sourcesFile)", text: sources),
            vendors: YAMLFile(path: "\(directory)/\(vendorsFile)", text: vendors),
            rules: YAMLFile(path: "\(directory)/\(rulesFile)", text: rules),
            earlier: [],
            environment: environment
        )
    }

    static func load(
        sources: YAMLFile,
        vendors: YAMLFile,
        rules: YAMLFile,
        earlier: [ConfigIssue],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> TriageConfiguration {
        let templateSources = PayloadFormatSection.templates(in: (vendors.path as NSString).deletingLastPathComponent)
        let (sourceList, ingest) = SourcesSection.read(sources, templates: Set(templateSources.keys))
        let vendorSection = VendorsSection.read(vendors, templates: Set(templateSources.keys), environment: environment)
        let ruleSet = RulesSection.read(
            rules,
            references: .init(
                sources: Set(sourceList.map(\.name)), vendors: Set(vendorSection.vendors.map(\.name)),
                escalations: vendorSection.escalations))
        let rulesTop = rules.root?.mapping
        let directory = (rules.path as NSString).deletingLastPathComponent
        let classifier = ClassifierSection.classifier(rulesTop?["classifier"], file: rules, directory: directory)
        let duplicates = ClassifierSection.duplicates(rulesTop?["duplicates"], file: rules)
        for source in sourceList {
            if let vendor = source.feedback?.vendor, !vendorSection.vendors.contains(where: { $0.name == vendor }) {
                sources.fail(nil, "feedback of source '\(source.name)' names vendor '\(vendor)', which is not defined in vendors.yaml")
            }
        }
        let issues = earlier + sources.issues + vendors.issues + rules.issues
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        var configuration = TriageConfiguration(
            sources: sourceList,
            ingest: ingest,
            vendors: vendorSection.vendors,
            rules: ruleSet,
            classifier: classifier,
            duplicates: duplicates,
            defaultVendor: vendorSection.defaultVendor,
            delivery: vendorSection.delivery,
            assignment: vendorSection.weights,
            templates: templateSources,
            escalations: vendorSection.escalations,
            notifyEndpoints: vendorSection.notifyEndpoints
        )
        configuration.redactionProfiles = vendorSection.redactionProfiles
        return configuration
    }
}
