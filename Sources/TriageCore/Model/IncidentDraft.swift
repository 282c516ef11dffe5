import FoundationEssentials

/// What a source decoder makes of one alert or ticket, before the store gives it an identity.
///
/// One webhook can carry several drafts (Alertmanager groups alerts). Each keeps the sender's own
/// identifiers so that a re-fire or a retry lands on the incident it already opened.
public struct IncidentDraft: Sendable, Equatable, Codable {
    /// What the sender says happened to the alert or ticket.
    public enum Action: String, Sendable, Equatable, Codable, CaseIterable {
        /// The problem is (still) happening: opens an incident, or counts a re-fire of the open one.
        case trigger
        /// Something about it changed (priority, title, labels): updates the open incident, or
        /// opens one when none is open.
        case update
        /// Someone took it: the open incident becomes acknowledged.
        case acknowledge
        /// The problem is over: the open incident is resolved.
        case resolve
    }

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
    public var action: Action
    /// When the sender says the problem started; `nil` when it does not say.
    public var occurredAt: Date?
    /// A link back to the alert or ticket in the sender's own tool.
    public var link: String?

    public init(
        source: String,
        externalID: String? = nil,
        dedupKey: String? = nil,
        title: String,
        description: String = "",
        severity: Severity = .unknown,
        labels: [String: String] = [:],
        service: String? = nil,
        action: Action = .trigger,
        occurredAt: Date? = nil,
        link: String? = nil
    ) {
        self.source = source
        self.externalID = externalID
        self.dedupKey = dedupKey ?? externalID ?? title
        self.title = title
        self.description = description
        self.severity = severity
        self.labels = labels
        self.service = service
        self.action = action
        self.occurredAt = occurredAt
        self.link = link
    }

    /// `true` when the sender says the problem is over.
    public var resolved: Bool { action == .resolve }
}
