import FoundationEssentials

/// Prometheus Alertmanager's webhook (version 4): one incident draft per alert.
///
/// The alert's `fingerprint` is its dedup key, so a re-fire updates the open incident and
/// `status: resolved` resolves it. Title is `annotations.summary`, else `labels.alertname`.
public struct AlertmanagerPayload: Decodable, Sendable {
    public var version: String?
    public var receiver: String?
    public var status: String?
    public var alerts: [Alert]

    public struct Alert: Decodable, Sendable {
        public var status: String?
        public var labels: [String: String]
        public var annotations: [String: String]?
        public var startsAt: String?
        public var fingerprint: String?
        public var generatorURL: String?
    }

    /// Decodes one Alertmanager webhook body into drafts for `source`.
    public static func drafts(from body: [UInt8], source: String) throws(PayloadError) -> [IncidentDraft] {
        let payload: AlertmanagerPayload
        do {
            payload = try JSONDecoder().decode(AlertmanagerPayload.self, from: Data(body))
        } catch {
            throw PayloadError(error)
        }
        if let version = payload.version, version != "4" {
            throw PayloadError(path: "$.version", message: "webhook version '\(version)' is not supported; expected 4")
        }
        guard !payload.alerts.isEmpty else { throw PayloadError(path: "$.alerts", message: "must not be empty") }
        var drafts: [IncidentDraft] = []
        for (index, alert) in payload.alerts.enumerated() {
            let annotations = alert.annotations ?? [:]
            guard let title = annotations["summary"] ?? alert.labels["alertname"], !title.isEmpty else {
                throw PayloadError(
                    path: "$.alerts[\(index)]",
                    message: "has neither annotations.summary nor labels.alertname"
                )
            }
            let fingerprint = alert.fingerprint ?? Self.fallbackFingerprint(alert.labels)
            var occurredAt: Date?
            if let text = alert.startsAt, !text.hasPrefix("0001-") {
                guard let date = RFC3339.parse(text) else {
                    throw PayloadError(path: "$.alerts[\(index)].startsAt", message: "not an RFC 3339 timestamp")
                }
                occurredAt = date
            }
            let resolved = (alert.status ?? payload.status)?.lowercased() == "resolved"
            drafts.append(
                IncidentDraft(
                    source: source,
                    externalID: fingerprint,
                    dedupKey: fingerprint,
                    title: title,
                    description: annotations["description"] ?? annotations["message"] ?? "",
                    severity: Severity(parsing: alert.labels["severity"]),
                    labels: alert.labels,
                    service: alert.labels["service"] ?? alert.labels["app"] ?? alert.labels["job"],
                    resolved: resolved,
                    occurredAt: occurredAt
                )
            )
        }
        return drafts
    }

    /// Without a fingerprint (older senders), the sorted label set identifies the alert.
    static func fallbackFingerprint(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
