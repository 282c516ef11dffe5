import FoundationEssentials

/// The documented JSON for `POST /webhooks/generic`: one incident per request.
///
/// ```json
/// {"title": "Checkout latency above 2s", "description": "p99 2.4s for 10m",
///  "severity": "critical", "labels": {"team": "billing"}, "service": "checkout",
///  "dedup_key": "checkout-latency", "external_id": "INC-42",
///  "status": "firing", "occurred_at": "2026-11-29T06:00:00Z"}
/// ```
/// Only `title` is required. `status: resolved` resolves the open incident with the same dedup key.
public struct GenericPayload: Decodable, Sendable {
    public var title: String
    public var description: String?
    public var severity: String?
    public var labels: [String: String]?
    public var service: String?
    public var dedupKey: String?
    public var externalID: String?
    public var status: String?
    public var occurredAt: String?

    enum CodingKeys: String, CodingKey {
        case title, description, severity, labels, service, status
        case dedupKey = "dedup_key"
        case externalID = "external_id"
        case occurredAt = "occurred_at"
    }

    /// Decodes one generic webhook body into a draft for `source`.
    public static func drafts(from body: [UInt8], source: String) throws(PayloadError) -> [IncidentDraft] {
        let payload: GenericPayload
        do {
            payload = try JSONDecoder().decode(GenericPayload.self, from: Data(body))
        } catch {
            throw PayloadError(error)
        }
        let title = payload.title.trimmedSpaces
        guard !title.isEmpty else { throw PayloadError(path: "$.title", message: "must not be empty") }
        var occurredAt: Date?
        if let text = payload.occurredAt {
            guard let date = RFC3339.parse(text) else {
                throw PayloadError(path: "$.occurred_at", message: "expected an RFC 3339 timestamp, got '\(text)'")
            }
            occurredAt = date
        }
        let resolved: Bool
        switch payload.status?.lowercased() {
        case nil, "firing", "open", "triggered", "problem": resolved = false
        case "resolved", "ok", "closed": resolved = true
        case let other?:
            throw PayloadError(path: "$.status", message: "expected firing or resolved, got '\(other)'")
        }
        return [
            IncidentDraft(
                source: source,
                externalID: payload.externalID,
                dedupKey: payload.dedupKey.flatMap { $0.isEmpty ? nil : $0 },
                title: title,
                description: payload.description ?? "",
                severity: Severity(parsing: payload.severity),
                labels: payload.labels ?? [:],
                service: payload.service,
                resolved: resolved,
                occurredAt: occurredAt
            )
        ]
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
