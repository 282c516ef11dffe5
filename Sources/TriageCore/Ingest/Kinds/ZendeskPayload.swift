import FoundationEssentials

/// Zendesk tickets: a ticket object as the Support API writes it, bare or wrapped as
/// `{"ticket": {…}}`. Zendesk trigger webhooks carry a body the admin writes from placeholders, so
/// the ticket schema (with values as numbers or as text) is the format to template.
///
/// - external id: the ticket `id`; dedup key `zendesk-<id>` (so it reads as a Zendesk ticket in
///   lists; one source's tickets never share a number).
/// - title `subject`, else `raw_subject`; description `description`.
/// - severity from `priority`: `urgent` critical, `high` error, `normal` warning, `low` info.
/// - action: `status` `solved`, `closed` or `deleted` resolves; every other status updates.
/// - labels: `priority`, `status`, `type`, `group_id`, `assignee_id`, `organization_id`,
///   `via_channel` (= `via.channel`), and one `tag:<tag>: "true"` label per tag plus `tags`
///   (joined by `,`; a templated `tags` string is split at spaces and commas).
/// - occurred at `created_at`; link: the agent page `https://<subdomain>.zendesk.com/agent/tickets/<id>`
///   when `url` is the API address (`…/api/v2/tickets/<id>.json`), else `url` as sent.
public enum ZendeskPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let ticket = root["ticket"].value == nil ? root : root["ticket"]
        try ticket.requireObject()
        let id = try ticket["id"].string()
        guard let title = try JSONCursor.firstText(ticket["subject"], ticket["raw_subject"]) else {
            throw ticket["subject"].error("required field is missing")
        }
        let priority = try ticket["priority"].optionalNonEmpty()?.lowercased()
        let status = try ticket["status"].optionalNonEmpty()?.lowercased()

        var labels: [String: String] = [:]
        labels.addList(try ticket["tags"].stringList(splittingAt: [",", " "]), prefix: "tag:", listKey: "tags")
        labels["priority"] = priority
        labels["status"] = status
        labels["type"] = try ticket["type"].optionalNonEmpty()
        labels["group_id"] = try ticket["group_id"].optionalNonEmpty()
        labels["assignee_id"] = try ticket["assignee_id"].optionalNonEmpty()
        labels["organization_id"] = try ticket["organization_id"].optionalNonEmpty()
        labels["via_channel"] = try ticket["via"]["channel"].optionalNonEmpty()

        let severity: Severity
        switch priority {
        case "urgent": severity = .critical
        case "high": severity = .error
        case "normal": severity = .warning
        case "low": severity = .info
        default: severity = .unknown
        }
        let resolved = ["solved", "closed", "deleted"].contains(status ?? "")
        return [
            IncidentDraft(
                source: source,
                externalID: id,
                dedupKey: "zendesk-" + id,
                title: title,
                description: try ticket["description"].optionalString() ?? "",
                severity: severity,
                labels: labels,
                action: resolved ? .resolve : .update,
                occurredAt: try ticket["created_at"].optionalTimestamp(),
                link: try ticket["url"].optionalNonEmpty().map { agentURL($0, id: id) }
            )
        ]
    }

    /// `https://x.zendesk.com/api/v2/tickets/10.json` → `https://x.zendesk.com/agent/tickets/10`.
    static func agentURL(_ url: String, id: String) -> String {
        guard let api = url.firstRange(of: "/api/v2/tickets/") else { return url }
        return url[..<api.lowerBound] + "/agent/tickets/" + id
    }
}
