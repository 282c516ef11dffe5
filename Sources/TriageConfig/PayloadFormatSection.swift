import Foundation
import TriageCore
import Yams

/// A vendor's `format:` and the templates under `rules/templates/`.
///
/// ```yaml
/// format: generic                              # triage's JSON (the default)
/// format: slack                                # a Slack incoming-webhook message
/// format: {jira: {project: OPS, issue_type: Incident}}
/// format: {servicenow: {assignment_group: Database}}
/// format: {template: acme}                     # rules/templates/acme.mustache
/// ```
enum PayloadFormatSection {
    static func read(_ node: Node?, vendor: String, templates: Set<String>, file: YAMLFile) -> PayloadFormat {
        guard let node else { return .generic }
        if let text = node.scalar?.string {
            switch text {
            case "generic": return .generic
            case "slack": return .slack
            case "servicenow": return .servicenow(assignmentGroup: nil)
            case "jira":
                file.fail(node, "vendor '\(vendor)': format jira needs a project: {jira: {project: KEY}}")
                return .generic
            default:
                file.fail(node, "vendor '\(vendor)': format '\(text)' is not generic, jira, servicenow, slack or {template: name}")
                return .generic
            }
        }
        guard let map = file.mapping(node, "format of vendor '\(vendor)'", allowed: ["jira", "servicenow", "template"]),
            map.count == 1, let (key, value) = map.first.map({ ($0.key.string ?? "", $0.value) })
        else {
            file.fail(node, "vendor '\(vendor)': format takes one of jira, servicenow or template")
            return .generic
        }
        switch key {
        case "jira":
            guard let jira = file.mapping(value, "format.jira", allowed: ["project", "issue_type"]),
                let project = file.requiredString(jira, "project", in: value, "format.jira")
            else { return .generic }
            return .jira(project: project, issueType: file.string(jira["issue_type"], "format.jira.issue_type") ?? "Incident")
        case "servicenow":
            let options = file.mapping(value, "format.servicenow", allowed: ["assignment_group"])
            return .servicenow(assignmentGroup: file.string(options?["assignment_group"], "format.servicenow.assignment_group"))
        default:
            guard let name = file.string(value, "format.template") else { return .generic }
            guard templates.contains(name) else {
                let known = templates.sorted().joined(separator: ", ")
                file.fail(value, "vendor '\(vendor)': no template '\(name)' in templates/ (found: \(known.isEmpty ? "none" : known))")
                return .generic
            }
            return .template(name)
        }
    }

    /// The `*.mustache` files of `directory/templates`, by name.
    static func templates(in directory: String) -> [String: String] {
        let folder = directory + "/templates"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var result: [String: String] = [:]
        for name in names where name.hasSuffix(".mustache") {
            if let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) {
                result[String(name.dropLast(".mustache".count))] = text
            }
        }
        return result
    }
}
