import FoundationEssentials

/// PagerDuty Events API v2 bodies (what senders `POST` to `/v2/enqueue`), so any tool that can page
/// PagerDuty can send here unchanged.
///
/// - `routing_key` is not read here: the source's `routing_key` authentication checks it.
/// - action: `event_action` `trigger`, `acknowledge` or `resolve`; anything else is a 422.
/// - dedup key and external id: `dedup_key`. It is required for `acknowledge` and `resolve`. A
///   trigger without one gets `<payload.source>:<payload.summary>` as dedup key (and no external id),
///   so repeating the same trigger lands on the same incident.
/// - a trigger needs `payload.summary` (the title), `payload.source` and `payload.severity`
///   (`critical`, `error`, `warning` or `info`, case-insensitive; anything else is a 422), as
///   PagerDuty does. `acknowledge` and `resolve` may leave `payload` out; their title is then the
///   dedup key.
/// - labels: the scalar members of `payload.custom_details` (nested objects and arrays skipped; a
///   `custom_details` string is the description instead), then `component`, `group`, `class` and
///   `alert_source` (= `payload.source`), which win over custom details of the same name.
/// - service: `payload.component`, else `payload.source`; occurred at: `payload.timestamp`;
///   link: `links[0].href`, else `client_url`.
public enum PagerDutyEventsPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let actionCursor = root["event_action"]
        let actionText = try actionCursor.string()
        let action: IncidentDraft.Action
        switch actionText.lowercased() {
        case "trigger": action = .trigger
        case "acknowledge": action = .acknowledge
        case "resolve": action = .resolve
        default: throw actionCursor.error("expected trigger, acknowledge or resolve, got '\(actionText)'")
        }
        let payload = root["payload"]
        let summary: String?
        let origin: String?
        if action == .trigger {
            try payload.requireObject()
            summary = try payload["summary"].string()
            origin = try payload["source"].string()
        } else {
            if payload.isPresent { try payload.requireObject() }
            summary = try payload["summary"].optionalNonEmpty()
            origin = try payload["source"].optionalNonEmpty()
        }
        let severity = try severity(payload["severity"], required: action == .trigger)
        let sentKey = try root["dedup_key"].optionalNonEmpty()
        let dedupKey: String
        if let sentKey {
            dedupKey = sentKey
        } else if action == .trigger, let summary, let origin {
            dedupKey = "\(origin):\(summary)"
        } else {
            throw root["dedup_key"].error("required when event_action is \(action.rawValue)")
        }

        var labels: [String: String] = [:]
        var description = ""
        let details = payload["custom_details"]
        if case .string(let text)? = details.value { description = text } else { labels = try details.labels() }
        let component = try payload["component"].optionalNonEmpty()
        labels["component"] = component ?? labels["component"]
        labels["group"] = try payload["group"].optionalNonEmpty() ?? labels["group"]
        labels["class"] = try payload["class"].optionalNonEmpty() ?? labels["class"]
        labels["alert_source"] = origin ?? labels["alert_source"]

        let links = try root["links"].optionalArray()
        var link = try links.first?["href"].optionalNonEmpty()
        if link == nil { link = try root["client_url"].optionalNonEmpty() }
        return [
            IncidentDraft(
                source: source,
                externalID: sentKey,
                dedupKey: dedupKey,
                title: summary ?? dedupKey,
                description: description,
                severity: severity,
                labels: labels,
                service: component ?? origin,
                action: action,
                occurredAt: try payload["timestamp"].optionalTimestamp(),
                link: link
            )
        ]
    }

    /// PagerDuty's four severities; other words are a 422, absence only when not `required`.
    static func severity(_ cursor: JSONCursor, required: Bool) throws(PayloadError) -> Severity {
        guard let text = required ? try cursor.string() : try cursor.optionalNonEmpty() else { return .unknown }
        switch text.lowercased() {
        case "critical": return .critical
        case "error": return .error
        case "warning": return .warning
        case "info": return .info
        default: throw cursor.error("expected critical, error, warning or info, got '\(text)'")
        }
    }
}
