import FoundationEssentials

/// PagerDuty Webhooks v3 (`{"event": {"event_type": …, "occurred_at": …, "data": {…}}}`): one draft
/// per incident event; events about anything but incidents (`pagey.ping`, `service.updated`, …),
/// and incident events whose `data` names no incident, give no draft and are not an error.
///
/// - dedup key and external id: the incident's `id` (`data.id`; for events whose `data` is not the
///   incident, such as `incident.annotated`'s note, `data.incident.id`).
/// - action from `event_type`: `incident.triggered` and `incident.reopened` trigger,
///   `incident.acknowledged` acknowledges, `incident.resolved` resolves, every other incident event
///   (`escalated`, `priority_updated`, `reassigned`, `annotated`, `unacknowledged`, …) updates.
/// - title `data.title` (else the reference's `summary`); description: the note's `content` for
///   `incident.annotated`, else empty.
/// - severity from `priority.summary` `P1`…`P5` (P1 critical, P2 error, P3 warning, P4 and P5 info),
///   else from `urgency`: `high` error, `low` warning.
/// - labels: `event_type`, `status`, `urgency`, `priority`, `service`, `escalation_policy`,
///   `incident_type`, `incident_number`, `assignee` (the first assignee).
/// - service `service.summary`; occurred at `created_at`, else the event's `occurred_at`;
///   link `html_url`.
public enum PagerDutyWebhookPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let event = root["event"]
        try event.requireObject()
        let eventType = try event["event_type"].string()
        guard eventType.hasPrefix("incident.") else { return [] }
        let data = event["data"]
        try data.requireObject()
        let dataType = try data["type"].optionalNonEmpty()
        let incident = dataType == nil || dataType == "incident" ? data : data["incident"]
        guard incident.isPresent else { return [] }
        try incident.requireObject()
        guard let title = try JSONCursor.firstText(incident["title"], incident["summary"]) else {
            throw incident["title"].error("required field is missing")
        }
        let id = try incident["id"].string()

        let action: IncidentDraft.Action
        switch eventType {
        case "incident.triggered", "incident.reopened": action = .trigger
        case "incident.acknowledged": action = .acknowledge
        case "incident.resolved": action = .resolve
        default: action = .update
        }

        let priority = try incident["priority"]["summary"].optionalNonEmpty()
        let urgency = try incident["urgency"].optionalNonEmpty()
        let service = try incident["service"]["summary"].optionalNonEmpty()
        var labels: [String: String] = ["event_type": eventType]
        labels["status"] = try incident["status"].optionalNonEmpty()
        labels["urgency"] = urgency
        labels["priority"] = priority
        labels["service"] = service
        labels["escalation_policy"] = try incident["escalation_policy"]["summary"].optionalNonEmpty()
        labels["incident_type"] = try incident["incident_type"]["name"].optionalNonEmpty()
        labels["incident_number"] = try incident["number"].optionalNonEmpty()
        labels["assignee"] = try incident["assignees"].optionalArray().first?["summary"].optionalNonEmpty()

        var occurredAt = try incident["created_at"].optionalTimestamp()
        if occurredAt == nil { occurredAt = try event["occurred_at"].optionalTimestamp() }
        let note = dataType == "incident_note" ? try data["content"].optionalString() : nil
        return [
            IncidentDraft(
                source: source,
                externalID: id,
                dedupKey: id,
                title: title,
                description: note ?? "",
                severity: severity(priority: priority, urgency: urgency),
                labels: labels,
                service: service,
                action: action,
                occurredAt: occurredAt,
                link: try incident["html_url"].optionalNonEmpty()
            )
        ]
    }

    /// `P1`…`P5` when the account uses priorities, else the urgency.
    static func severity(priority: String?, urgency: String?) -> Severity {
        let fromPriority = Severity(parsing: priority)
        if fromPriority != .unknown { return fromPriority }
        switch urgency?.lowercased() {
        case "high": return .error
        case "low": return .warning
        default: return .unknown
        }
    }
}
