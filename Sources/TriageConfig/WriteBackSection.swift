import TriageCore
import Yams

/// A ticketing source's `write_back:`: where and how to post the assignment back to the ticket.
///
/// ```yaml
/// - name: jira
///   kind: jira
///   write_back:
///     endpoint: https://jira.example.com/rest/api/2/issue/{external_id}/comment
///     format: jira-comment        # jira-comment | github-comment | servicenow-work-note | {template: NAME}
///     method: POST                # default: PATCH for servicenow-work-note, else POST
///     headers_env: {Authorization: JIRA_WRITE_BACK_AUTH}
/// ```
enum WriteBackSection {
    static let kinds: Set<SourceKind> = [.jira, .servicenow, .github, .zendesk]
    static let keys: Set<String> = DeliveryTargetSection.keys.union(["endpoint", "format", "method"])
    static let methods: Set<String> = ["POST", "PUT", "PATCH"]

    static func read(_ node: Node?, source: String, kind: SourceKind?, templates: Set<String>, file: YAMLFile) -> WriteBack? {
        guard let node else { return nil }
        let what = "write_back of source '\(source)'"
        if let kind, !kinds.contains(kind) {
            file.fail(node, "\(what): write_back is for ticketing sources (jira, servicenow, github, zendesk), not '\(kind.rawValue)'")
            return nil
        }
        guard let map = file.mapping(node, "write_back", allowed: keys),
            let endpoint = file.requiredString(map, "endpoint", in: node, what)
        else { return nil }
        var valid = true
        if !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            file.fail(map["endpoint"], "\(what): endpoint must start with http:// or https://")
            valid = false
        }
        for placeholder in placeholders(in: endpoint) where !WriteBack.placeholders.contains(placeholder)
            && !placeholder.hasPrefix("label.")
        {
            file.fail(map["endpoint"], "\(what): unknown placeholder {\(placeholder)} (known: {external_id}, {external_number}, {label.NAME})")
            valid = false
        }
        let format = readFormat(map["format"], parent: node, what: what, templates: templates, file: file)
        var method: String?
        if let text = file.string(map["method"], "\(what) method") {
            if methods.contains(text.uppercased()) { method = text.uppercased() } else {
                file.fail(map["method"], "\(what): method must be POST, PUT or PATCH")
            }
        }
        let target = DeliveryTargetSection.read(map, name: WriteBack.targetName(source), what: what, file: file)
        guard valid, let format else { return nil }
        return WriteBack(source: source, endpoint: endpoint, method: method, format: format, target: target)
    }

    static func readFormat(_ node: Node?, parent: Node, what: String, templates: Set<String>, file: YAMLFile) -> WriteBack.Format? {
        guard let node else {
            file.fail(parent, "\(what) needs a format")
            return nil
        }
        if let text = node.scalar?.string {
            switch text {
            case "jira-comment": return .jiraComment
            case "github-comment": return .githubComment
            case "servicenow-work-note": return .servicenowWorkNote
            default:
                file.fail(node, "\(what): format '\(text)' is not jira-comment, github-comment, servicenow-work-note or {template: NAME}")
                return nil
            }
        }
        guard let map = file.mapping(node, "\(what) format", allowed: ["template"]),
            let name = file.string(map["template"], "format.template")
        else { return nil }
        guard templates.contains(name) else {
            file.fail(map["template"], "\(what): no template '\(name)' in templates/")
            return nil
        }
        return .template(name)
    }

    static func placeholders(in endpoint: String) -> [String] {
        var names: [String] = []
        var rest = Substring(endpoint)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
