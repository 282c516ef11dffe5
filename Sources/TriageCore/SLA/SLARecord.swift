import FoundationEssentials

/// One SLA target of one incident under one vendor: met, breached or still running, with the
/// business and wall-clock time it took. Reports are computed from these.
public struct SLARecord: Sendable, Codable, Equatable {
    public var incidentID: String
    /// The vendor responsible while this clock ran (a reassignment starts a new record).
    public var vendor: String
    public var priority: Priority
    public var target: SLATimer.Kind
    public var startedAt: Date
    /// The deadline (`nil` when it could not be computed, e.g. paused at the end).
    public var dueAt: Date?
    /// When the target was met (acknowledged / resolved); `nil` while running or when the clock
    /// ended otherwise (reassigned away).
    public var stoppedAt: Date?
    /// `true` met in time, `false` breached, `nil` still running and not yet due.
    public var met: Bool?
    /// Business time from start to stop (or to now / the end of this vendor's turn), pauses excluded.
    public var businessSeconds: Int
    /// Wall-clock time over the same span.
    public var wallSeconds: Int
    public var pausedSeconds: Int
    /// Escalation steps that fired on this clock.
    public var escalations: Int
    /// Incident-level facts, repeated on each of its records.
    public var reassignments: Int
    public var reopened: Bool
    /// The vendor's price for the incident at its priority, when known.
    public var cost: Double?

    public init(
        incidentID: String, vendor: String, priority: Priority, target: SLATimer.Kind, startedAt: Date, dueAt: Date?,
        stoppedAt: Date?, met: Bool?, businessSeconds: Int, wallSeconds: Int, pausedSeconds: Int = 0, escalations: Int = 0,
        reassignments: Int = 0, reopened: Bool = false, cost: Double? = nil
    ) {
        self.incidentID = incidentID
        self.vendor = vendor
        self.priority = priority
        self.target = target
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.stoppedAt = stoppedAt
        self.met = met
        self.businessSeconds = businessSeconds
        self.wallSeconds = wallSeconds
        self.pausedSeconds = pausedSeconds
        self.escalations = escalations
        self.reassignments = reassignments
        self.reopened = reopened
        self.cost = cost
    }
}
