import FoundationEssentials

/// A stored incident: a draft with an identity, a status and the times the system saw it.
public struct Incident: Sendable, Equatable, Codable {
    public var id: IncidentID
    public var source: String
    public var externalID: String?
    public var dedupKey: String
    public var title: String
    public var description: String
    public var severity: Severity
    public var labels: [String: String]
    public var service: String?
    public var status: IncidentStatus
    /// When the sender says it started; the receive time when the sender does not say.
    public var occurredAt: Date
    public var receivedAt: Date
    /// The stored raw payload this incident was first decoded from.
    public var rawPayloadID: Int64
    /// A link back to the alert or ticket in the sender's tool.
    public var link: String?
    /// How many times the sender has fired it (re-fires with the same dedup key count).
    public var occurrences: Int
    /// When the sender last sent anything about it.
    public var lastSeenAt: Date
    public var acknowledgedAt: Date?
    public var resolvedAt: Date?

    public init(
        id: IncidentID,
        draft: IncidentDraft,
        status: IncidentStatus = .open,
        receivedAt: Date,
        rawPayloadID: Int64
    ) {
        self.id = id
        self.source = draft.source
        self.externalID = draft.externalID
        self.dedupKey = draft.dedupKey
        self.title = draft.title
        self.description = draft.description
        self.severity = draft.severity
        self.labels = draft.labels
        self.service = draft.service
        self.status = draft.resolved ? .resolved : status
        self.occurredAt = draft.occurredAt ?? receivedAt
        self.receivedAt = receivedAt
        self.rawPayloadID = rawPayloadID
        self.link = draft.link
        self.occurrences = 1
        self.lastSeenAt = receivedAt
        self.acknowledgedAt = nil
        self.resolvedAt = draft.resolved ? receivedAt : nil
    }
}
