/// The shape of what a vendor receives.
public enum PayloadFormat: Sendable, Equatable {
    /// triage's documented JSON (`message_id`, `incident`, `assignment`).
    case generic
    /// A Jira Cloud "create issue" body for `project`, of `issueType`.
    case jira(project: String, issueType: String)
    /// A ServiceNow Table API "create incident" body, optionally for an assignment group.
    case servicenow(assignmentGroup: String?)
    /// A Slack-compatible message (`text` plus blocks), for an incoming webhook.
    case slack
    /// A user template from `rules/templates/<name>.mustache`.
    case template(String)

    public var name: String {
        switch self {
        case .generic: "generic"
        case .jira: "jira"
        case .servicenow: "servicenow"
        case .slack: "slack"
        case .template(let name): "template '\(name)'"
        }
    }
}
