import FoundationEssentials

/// GitHub `issues` webhook events: one draft per event. The event name travels in the
/// `X-GitHub-Event` header, not in the body, so the body is recognised by having an `issue` and an
/// `action` and no `comment`. Anything else (`ping` with `zen` and `hook_id`, `issue_comment`,
/// `push`, …) gives no draft and is not an error.
///
/// - action from `action`: `opened` and `reopened` trigger, `closed` and `deleted` resolve, every
///   other action (`edited`, `labeled`, `unlabeled`, `assigned`, `milestoned`, …) updates.
/// - dedup key and external id: `<repository.full_name>#<issue.number>` (`octo/api#42`).
/// - title `issue.title`; description `issue.body`; link `issue.html_url`; service
///   `repository.name`; occurred at `issue.created_at`.
/// - labels: one `label:<name>: "true"` per issue label plus `labels` (names joined by `,`),
///   `repository` (full name), `state`, `author`, `assignee`, `milestone`.
/// - severity from the issue labels (the most severe wins): a label `<key><sep><value>` with key
///   `severity`, `sev`, `priority` or `prio`, separator `:`, `/`, `=` or `-` and spaces optional
///   (`severity:critical`, `priority: high`, `sev-1`), read as ``Severity/init(parsing:)`` reads the
///   value (`critical`, `high` → error, `1` → critical, `p2` → error, …); or a whole label `sev1`…`sev3`
///   or `P1`…`P5`. Other labels (`bug`, `critical`) do not set a severity.
public enum GitHubPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let issue = root["issue"]
        guard issue.isPresent, root["action"].isPresent, !root["comment"].isPresent else { return [] }
        try issue.requireObject()
        let action: IncidentDraft.Action
        switch try root["action"].string() {
        case "opened", "reopened": action = .trigger
        case "closed", "deleted": action = .resolve
        default: action = .update
        }
        let repository = try root["repository"]["full_name"].string()
        let number = try issue["number"].string()
        let key = "\(repository)#\(number)"
        let names = try issue["labels"].stringList()

        var labels: [String: String] = ["repository": repository]
        labels.addList(names, prefix: "label:", listKey: "labels")
        labels["state"] = try issue["state"].optionalNonEmpty()
        labels["author"] = try issue["user"]["login"].optionalNonEmpty()
        labels["assignee"] = try issue["assignee"]["login"].optionalNonEmpty()
        labels["milestone"] = try issue["milestone"]["title"].optionalNonEmpty()
        return [
            IncidentDraft(
                source: source,
                externalID: key,
                dedupKey: key,
                title: try issue["title"].string(),
                description: try issue["body"].optionalString() ?? "",
                severity: severity(labels: names),
                labels: labels,
                service: try root["repository"]["name"].optionalNonEmpty(),
                action: action,
                occurredAt: try issue["created_at"].optionalTimestamp(),
                link: try issue["html_url"].optionalNonEmpty()
            )
        ]
    }

    static let severityKeys: Set<String> = ["severity", "sev", "priority", "prio"]

    /// The most severe severity the label names give; `.unknown` when none gives one.
    static func severity(labels names: [String]) -> Severity {
        names.map(severity(label:)).filter { $0 != .unknown }.min() ?? .unknown
    }

    static func severity(label name: String) -> Severity {
        let text = name.lowercased().trimmedSpaces
        if let separator = text.firstIndex(where: { ":/=-".contains($0) }) {
            let key = String(text[..<separator]).trimmedSpaces
            let value = String(text[text.index(after: separator)...]).trimmedSpaces
            return severityKeys.contains(key) ? Severity(parsing: value) : .unknown
        }
        let wholeNames: Set<String> = ["sev1", "sev2", "sev3", "p1", "p2", "p3", "p4", "p5"]
        return wholeNames.contains(text) ? Severity(parsing: text) : .unknown
    }
}
