import FoundationEssentials

/// Jira (Cloud and Data Center) issue webhooks: one draft per `jira:issue_*` event; other events
/// (`comment_created`, `jira:worklog_updated`, `project_created`, …) give no draft and are not an error.
///
/// - action from `webhookEvent`: `jira:issue_created` triggers, `jira:issue_deleted` resolves,
///   `jira:issue_updated` resolves when the issue is done (the changelog moves `status` to Done,
///   Resolved or Closed, or `fields.status.statusCategory.key` is `done`) and updates otherwise.
/// - dedup key and external id: `issue.key`; title `fields.summary`; description `fields.description`,
///   plain text or Atlassian Document Format (``AtlassianDocument``).
/// - severity from `fields.priority.name`: Highest, Blocker, Critical → critical; High, Major → error;
///   Medium → warning; Low, Lowest, Minor, Trivial → info; other names as ``Severity/init(parsing:)``.
/// - labels: `project` (key), `issue_type`, `priority`, `status`, one `label:<name>: "true"` per
///   Jira label plus `labels` (joined by `,`), and per changelog item `changed.<field>` =
///   `<from>-><to>` (field lowercased, spaces as `_`; e.g. `changed.priority: Critical->Major`).
/// - service: the first component, else the project name; occurred at `fields.created`;
///   link: the browse URL (`…/browse/<key>`, derived from `issue.self`), else `issue.self`.
public enum JiraPayload: PayloadDecoder {
    static let doneStatuses: Set<String> = ["done", "resolved", "closed"]

    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let event = try root["webhookEvent"].string()
        guard event.hasPrefix("jira:issue_") else { return [] }
        let issue = root["issue"]
        try issue.requireObject()
        let key = try issue["key"].string()
        let fields = issue["fields"]
        try fields.requireObject()

        var labels: [String: String] = [:]
        labels.addList(try fields["labels"].stringList(), prefix: "label:", listKey: "labels")
        labels["project"] = try fields["project"]["key"].optionalNonEmpty()
        labels["issue_type"] = try fields["issuetype"]["name"].optionalNonEmpty()
        let priority = try fields["priority"]["name"].optionalNonEmpty()
        labels["priority"] = priority
        let status = try fields["status"]["name"].optionalNonEmpty()
        labels["status"] = status

        var movedToDone = false
        for item in try root["changelog"]["items"].optionalArray() {
            guard let field = try item["field"].optionalNonEmpty() else { continue }
            let from = try item["fromString"].optionalString() ?? ""
            let to = try item["toString"].optionalString() ?? ""
            labels["changed." + field.lowercased().replacing(" ", with: "_")] = "\(from)->\(to)"
            if field.lowercased() == "status", doneStatuses.contains(to.lowercased()) { movedToDone = true }
        }
        let category = try fields["status"]["statusCategory"]["key"].optionalNonEmpty()

        let action: IncidentDraft.Action
        switch event {
        case "jira:issue_created": action = .trigger
        case "jira:issue_deleted": action = .resolve
        case "jira:issue_updated":
            let done = movedToDone || category?.lowercased() == "done"
                || (category == nil && status.map { doneStatuses.contains($0.lowercased()) } == true)
            action = done ? .resolve : .update
        default: return []
        }

        let selfURL = try issue["self"].optionalNonEmpty()
        var service = try fields["components"].stringList().first
        if service == nil { service = try fields["project"]["name"].optionalNonEmpty() }
        return [
            IncidentDraft(
                source: source,
                externalID: key,
                dedupKey: key,
                title: try fields["summary"].string(),
                description: try AtlassianDocument.text(fields["description"]),
                severity: severity(priority),
                labels: labels,
                service: service,
                action: action,
                occurredAt: try fields["created"].optionalTimestamp(),
                link: selfURL.map { browseURL(self: $0, key: key) }
            )
        ]
    }

    /// Jira's default priority schemes, old (Blocker…Trivial) and new (Highest…Lowest).
    static func severity(_ priority: String?) -> Severity {
        switch priority?.lowercased() {
        case "highest", "blocker", "critical": .critical
        case "high", "major": .error
        case "medium": .warning
        case "low", "lowest", "minor", "trivial": .info
        default: Severity(parsing: priority)
        }
    }

    /// `https://x.atlassian.net/rest/api/2/issue/10000` → `https://x.atlassian.net/browse/KEY-1`.
    static func browseURL(self selfURL: String, key: String) -> String {
        guard let range = selfURL.firstRange(of: "/rest/api/") else { return selfURL }
        return selfURL[..<range.lowerBound] + "/browse/" + key
    }
}
