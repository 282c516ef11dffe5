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

extension SLARecord {
    /// The acknowledge and resolve records of one clock: an incident's terms and state under one
    /// vendor. `endedAt` is when that vendor's turn ended (a reassignment), `nil` for the current
    /// clock; `now` bounds a running one. A target not met when the turn ended has a verdict only
    /// if its deadline had passed (breached); otherwise none.
    public static func records(
        incidentID: String, snapshot: SLASnapshot, state: SLAClockState, calendar: BusinessCalendar, endedAt: Date?,
        now: Date, escalations: [SLATimer.Kind: Int] = [:], reassignments: Int = 0, reopened: Bool = false
    ) -> [SLARecord] {
        SLATimer.Kind.allCases.map { target in
            let stopped = target == .acknowledge ? (state.acknowledgedAt ?? state.resolvedAt) : state.resolvedAt
            let end = stopped ?? min(endedAt ?? now, now)
            let pauses = state.pauses(until: end)
            let due = calendar.adding(snapshot.budget(target), to: state.startedAt, pausedDuring: pauses)
            let met: Bool?
            if let stopped {
                met = due.map { stopped <= $0 } ?? true
            } else if let due, due <= end {
                met = false
            } else {
                met = nil
            }
            let paused = pauses.reduce(0.0) { total, pause in
                let lower = max(pause.lowerBound, state.startedAt)
                let upper = min(pause.upperBound, end)
                return total + max(0, upper.timeIntervalSince(lower))
            }
            return SLARecord(
                incidentID: incidentID, vendor: snapshot.vendor, priority: snapshot.priority, target: target,
                startedAt: state.startedAt, dueAt: due, stoppedAt: stopped, met: met,
                businessSeconds: Int(calendar.businessDuration(from: state.startedAt, to: end, pausedDuring: pauses).components.seconds),
                wallSeconds: Int(max(0, end.timeIntervalSince(state.startedAt))), pausedSeconds: Int(paused),
                escalations: escalations[target] ?? 0, reassignments: reassignments, reopened: reopened, cost: snapshot.cost)
        }
    }
}
