import FoundationEssentials

/// What Prometheus posts to Alertmanager's `POST /api/v2/alerts`, so Prometheus can alert straight
/// into this service: a JSON array of `{"labels", "annotations", "startsAt", "endsAt", "generatorURL"}`.
///
/// Not a ``SourceKind``: the HTTP layer calls it for the Alertmanager-compatible endpoint.
/// - one draft per alert, read as ``AlertmanagerPayload`` reads an alert: title `annotations.summary`,
///   else `labels.alertname`; labels, severity (`labels.severity`), service and link as there.
/// - dedup key and external id: the sorted label set (`alertname=X,instance=Y`), as inside
///   Alertmanager, since Prometheus sends no fingerprint.
/// - action: resolve when `endsAt` is present and not after `now` (Prometheus resends a resolved
///   alert with its `endsAt` in the past); trigger otherwise (a firing alert's `endsAt` lies in the
///   future, as its resend deadline).
/// - an empty array gives no drafts: Alertmanager itself accepts it, and a sender should not be told
///   to retry it.
public enum AlertmanagerAPIPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        guard case .array? = root.value else {
            throw root.error("expected an array of alerts, found \(root.value?.typeName ?? "nothing")")
        }
        return try root.array().map { (alert) throws(PayloadError) in
            try alert.requireObject()
            let endsAt = try alert["endsAt"].optionalDate()
            return try AlertmanagerPayload.draft(alert, source: source, resolved: endsAt.map { $0 <= now } ?? false)
        }
    }

    /// Parses a request body (400 errors) and reads its alerts (422 errors).
    public static func drafts(from body: [UInt8], source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try drafts(from: JSONCursor(try JSONValue.parse(body)), source: source, now: now)
    }
}
