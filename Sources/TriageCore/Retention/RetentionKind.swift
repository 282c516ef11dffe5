/// A kind of stored data that retention deletes (or blanks) once it is old enough: the keys of
/// `retention.yaml`. Declared in the order a sweep works: incidents first, as purging one also
/// removes its payload and its messages.
public enum RetentionKind: String, Sendable, Codable, CaseIterable {
    /// Incidents resolved, closed or suppressed longer ago than the age: purged, or redacted.
    case closedIncidents = "closed_incidents"
    /// Webhook bodies as received. The body is deleted; the incident made from it keeps its fields.
    case rawPayloads = "raw_payloads"
    /// Bodies of outbox messages that were delivered, dead-lettered or dropped; the rows stay.
    case deliveredMessages = "delivered_messages"
    /// Requests the receiver refused (the rejected-webhook store).
    case rejectedPayloads = "rejected_payloads"
}
