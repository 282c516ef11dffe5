import FoundationEssentials

/// Grafana's webhook contact point, in both of its formats, told apart by the presence of `alerts`.
///
/// **Unified alerting** (Grafana 8 and later; `alerts` as in Alertmanager's webhook plus `values`,
/// `valueString`, `panelURL`, `dashboardURL`, and group-level `title`, `message`, `state`, `orgId`):
/// one draft per alert, read like an Alertmanager alert (``AlertmanagerPayload``):
/// - dedup key and external id: `fingerprint` (else the sorted label set);
/// - action: the alert's `status` (else the group `status`) `resolved` resolves, anything else triggers;
/// - title `annotations.summary`, else `labels.alertname`; description `annotations.description`,
///   followed by a `Values: …` line with `valueString` (else the `values` object as `A=1, B=2`).
///   Values are not labels: they change with every evaluation;
/// - labels: the alert's labels (`alertname`, `grafana_folder`, …); severity from `labels.severity`;
/// - link: `panelURL`, else `dashboardURL`, else `generatorURL`; occurred at: `startsAt`.
///
/// **Legacy alerting** (before Grafana 8: `ruleId`, `ruleName`, `state`, `evalMatches`, `ruleUrl`):
/// one draft:
/// - dedup key `rule-<ruleId>` (`rule-<ruleName>` without an id); external id `ruleId`;
/// - action from `state`: `alerting` and `no_data` trigger, `ok` resolves, `paused` and `pending`
///   update; any other state is a 422;
/// - title `ruleName` (the same in every state, unlike `title`, which starts with `[Alerting]` or
///   `[OK]`), else `title`; description `message` and a `Values:` line from `evalMatches`
///   (`metric=value`);
/// - labels: the `tags` object, `alertname` (= `ruleName`) and `state`; severity from the `severity` tag;
///   service from the `service` tag; link `ruleUrl`.
public enum GrafanaPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        if root["alerts"].value == nil { return [try legacy(root, source: source)] }
        return try unified(root, source: source)
    }

    static func unified(_ root: JSONCursor, source: String) throws(PayloadError) -> [IncidentDraft] {
        let alerts = try root["alerts"].array()
        guard !alerts.isEmpty else { throw root["alerts"].error("must not be empty") }
        let groupStatus = try root["status"].optionalString()
        return try alerts.map { (alert) throws(PayloadError) in
            let resolved = (try alert["status"].optionalString() ?? groupStatus)?.lowercased() == "resolved"
            var draft = try AlertmanagerPayload.draft(alert, source: source, resolved: resolved)
            var values = try alert["valueString"].optionalNonEmpty()
            if values == nil { values = pairs(try alert["values"].labels()) }
            if let values { draft.description = appendLine(draft.description, "Values: " + values) }
            if let link = try JSONCursor.firstText(alert["panelURL"], alert["dashboardURL"]) { draft.link = link }
            return draft
        }
    }

    static func legacy(_ root: JSONCursor, source: String) throws(PayloadError) -> IncidentDraft {
        let stateCursor = root["state"]
        let state = try stateCursor.string().lowercased()
        let action: IncidentDraft.Action
        switch state {
        case "alerting", "no_data": action = .trigger
        case "ok": action = .resolve
        case "paused", "pending": action = .update
        default: throw stateCursor.error("expected alerting, ok, no_data, paused or pending, got '\(state)'")
        }
        let ruleID = try root["ruleId"].optionalNonEmpty()
        let ruleName = try root["ruleName"].optionalNonEmpty()
        guard let ruleKey = ruleID ?? ruleName else { throw root.error("has neither ruleId nor ruleName") }
        var labels = try root["tags"].labels()
        labels["alertname"] = ruleName ?? labels["alertname"]
        labels["state"] = state
        var matches: [String] = []
        for match in try root["evalMatches"].optionalArray() {
            guard let value = try match["value"].optionalString() else { continue }
            let metric = try match["metric"].optionalNonEmpty() ?? "value"
            matches.append("\(metric)=\(value)")
        }
        var description = try root["message"].optionalString() ?? ""
        if !matches.isEmpty { description = appendLine(description, "Values: " + matches.joined(separator: ", ")) }
        return IncidentDraft(
            source: source,
            externalID: ruleID,
            dedupKey: "rule-" + ruleKey,
            title: try JSONCursor.firstText(root["ruleName"], root["title"]) ?? "Grafana rule \(ruleKey)",
            description: description,
            severity: Severity(parsing: labels["severity"]),
            labels: labels,
            service: labels["service"],
            action: action,
            link: try root["ruleUrl"].optionalNonEmpty()
        )
    }

    /// `A=1, B=2` from an object of scalars; `nil` when it is empty.
    static func pairs(_ values: [String: String]) -> String? {
        guard !values.isEmpty else { return nil }
        return values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    static func appendLine(_ text: String, _ line: String) -> String {
        text.isEmpty ? line : text + "\n" + line
    }
}
