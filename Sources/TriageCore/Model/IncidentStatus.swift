/// Where an incident is in its life.
public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    /// Stored and waiting for (or in) triage.
    case open
    /// Triaged and handed to a vendor.
    case assigned
    /// The vendor acknowledged it.
    case acknowledged
    /// The sender or the vendor resolved it.
    case resolved

    /// Whether a re-fire with the same dedup key updates this incident instead of opening a new one.
    public var isOpen: Bool { self != .resolved }
}
