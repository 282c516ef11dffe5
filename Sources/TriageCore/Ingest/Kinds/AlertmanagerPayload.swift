import FoundationEssentials

/// Prometheus Alertmanager's webhook (version 4): one incident draft per alert.
///
/// The alert's `fingerprint` is its dedup key, so a re-fire updates the open incident and
/// `status: resolved` resolves it. Title is `annotations.summary`, else `labels.alertname`.
public enum AlertmanagerPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        if let version = try root["version"].optionalString(), version != "4" {
            throw root["version"].error("webhook version '\(version)' is not supported; expected 4")
        }
        let alerts = try root["alerts"].array()
        guard !alerts.isEmpty else { throw root["alerts"].error("must not be empty") }
        let groupStatus = try root["status"].optionalString()
        return try alerts.map { (alert) throws(PayloadError) in
            let status = try alert["status"].optionalString() ?? groupStatus
            return try draft(alert, source: source, resolved: status?.lowercased() == "resolved")
        }
    }

    /// One alert as Alertmanager sends it (webhook) or Prometheus posts it (`/api/v2/alerts`).
    static func draft(_ alert: JSONCursor, source: String, resolved: Bool) throws(PayloadError) -> IncidentDraft {
        try alert.requireObject()
        let labels = try alert["labels"].labels()
        let annotations = try alert["annotations"].labels()
        guard let title = annotations["summary"] ?? annotations["title"] ?? labels["alertname"], !title.isEmpty else {
            throw alert.error("has neither annotations.summary nor labels.alertname")
        }
        let fingerprint = try alert["fingerprint"].optionalNonEmpty() ?? fallbackFingerprint(labels)
        return IncidentDraft(
            source: source,
            externalID: fingerprint,
            dedupKey: fingerprint,
            title: title,
            description: annotations["description"] ?? annotations["message"] ?? "",
            severity: Severity(parsing: labels["severity"]),
            labels: labels,
            service: labels["service"] ?? labels["app"] ?? labels["job"],
            action: resolved ? .resolve : .trigger,
            occurredAt: try alert["startsAt"].optionalDate(),
            link: try alert["generatorURL"].optionalNonEmpty()
        )
    }

    /// Without a fingerprint (Prometheus' API posts, older senders), the sorted label set
    /// identifies the alert, as it does inside Alertmanager.
    static func fallbackFingerprint(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
