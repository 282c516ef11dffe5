import FoundationEssentials

/// What a source decoder makes of one alert or ticket, before the store gives it an identity.
///
/// One webhook can carry several drafts (Alertmanager groups alerts). Each keeps the sender's own
/// identifiers so that a re-fire or a retry lands on the incident it already opened.
public struct IncidentDraft: Sendable, Equatable, Codable {
    /// The configured source name (the `{name}` in `/webhooks/{name}`).
    public var source: String
    /// The sender's identifier for this alert or ticket, when it has one.
    public var externalID: String?
    /// The key that ties re-fires together; defaults to the external id, then to the title.
    public var dedupKey: String
    public var title: String
    public var description: String
    public var severity: Severity
    public var labels: [String: String]
    /// The service or application the incident is about, when the sender names one.
    public var service: String?
    /// `true` when the sender says the problem is over (Alertmanager `status: resolved`).
    public var resolved: Bool
    /// When the sender says the problem started; `nil` when it does not say.
    public var occurredAt: Date?

    public init(
        source: String,
        externalID: String? = nil,
        dedupKey: String? = nil,
        title: String,
        description: String = "",
        severity: Severity = .unknown,
        labels: [String: String] = [:],
        service: String? = nil,
        resolved: Bool = false,
        occurredAt: Date? = nil
    ) {
        self.source = source
        self.externalID = externalID
        self.dedupKey = dedupKey ?? externalID ?? title
        self.title = title
        self.description = description
        self.severity = severity
        self.labels = labels
        self.service = service
        self.resolved = resolved
        self.occurredAt = occurredAt
    }
}
