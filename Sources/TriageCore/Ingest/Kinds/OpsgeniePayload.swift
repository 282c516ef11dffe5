import FoundationEssentials

/// Opsgenie's outgoing webhook integration (`{"action": "Create", "alert": {…}, "source": {…}}`):
/// one draft per alert event.
///
/// - action from `action` (case-insensitive): `Create` triggers, `Acknowledge` acknowledges,
///   `Close` and `Delete` resolve, every other action (`Escalate`, `AddNote`, `UnAcknowledge`,
///   `UpdatePriority`, …) updates.
/// - dedup key: `alert.alias`, else `alert.alertId`; external id `alert.alertId`.
/// - title `alert.message`; events that carry only ids (Opsgenie's `Escalate`) are titled with the
///   dedup key. Description `alert.description`.
/// - severity from `alert.priority`: `P1` critical, `P2` error, `P3` warning, `P4` and `P5` info
///   (a bare number `3` is read as `P3`).
/// - labels: `priority` (always as `P<n>`), `entity`, `alert_source` (= `alert.source`),
///   `integration` (= `integrationName`), `owner`, and one `tag:<tag>: "true"` label per tag plus
///   `tags` (all tags joined by `,`).
/// - service `alert.entity`; occurred at `alert.createdAt` (epoch milliseconds); no link (the
///   webhook carries no URL).
public enum OpsgeniePayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let action: IncidentDraft.Action
        switch try root["action"].string().lowercased() {
        case "create": action = .trigger
        case "acknowledge": action = .acknowledge
        case "close", "delete": action = .resolve
        default: action = .update
        }
        let alert = root["alert"]
        try alert.requireObject()
        let alertID = try alert["alertId"].optionalNonEmpty()
        guard let dedupKey = try JSONCursor.firstText(alert["alias"], alert["alertId"]) else {
            throw alert.error("has neither alias nor alertId")
        }
        let priority = try alert["priority"].optionalNonEmpty().map(normalizedPriority)
        let entity = try alert["entity"].optionalNonEmpty()

        var labels: [String: String] = [:]
        labels.addList(try alert["tags"].stringList(), prefix: "tag:", listKey: "tags")
        labels["priority"] = priority
        labels["entity"] = entity
        labels["alert_source"] = try alert["source"].optionalNonEmpty()
        labels["integration"] = try root["integrationName"].optionalNonEmpty()
        labels["owner"] = try alert["owner"].optionalNonEmpty()
        return [
            IncidentDraft(
                source: source,
                externalID: alertID,
                dedupKey: dedupKey,
                title: try alert["message"].optionalNonEmpty() ?? dedupKey,
                description: try alert["description"].optionalString() ?? "",
                severity: Severity(parsing: priority),
                labels: labels,
                service: entity,
                action: action,
                occurredAt: try alert["createdAt"].optionalTimestamp()
            )
        ]
    }

    /// `3`, `p3` and `P3` all become `P3`; other words are kept as sent.
    static func normalizedPriority(_ text: String) -> String {
        if let number = Int(text) { return "P\(number)" }
        return text.count == 2 && text.lowercased().hasPrefix("p") ? text.uppercased() : text
    }
}
