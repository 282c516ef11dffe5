import FoundationEssentials

/// The SLA terms that apply to one incident, frozen when its clocks start: targets for its
/// priority, the calendar they run on, what pauses them and the escalation ladder. Later edits
/// of the configuration do not move a running clock; a reassignment starts new clocks under the
/// new vendor's terms.
public struct SLASnapshot: Sendable, Equatable, Codable {
    /// Where the terms come from: `contract 'acme-dba'` or `SLA policy 'expedite'`.
    public var source: String
    public var vendor: String
    public var priority: Priority
    public var acknowledge: Duration
    public var resolve: Duration
    /// `nil`: the clock runs around the clock (24×7).
    public var calendar: CalendarSpec?
    /// Incident `status` label values that pause the clocks (`waiting-on-customer`).
    public var pauseOn: [String]
    public var ladder: String?
    public var steps: [EscalationStep]
    /// The vendor's price for the incident at this priority, when the contract says.
    public var cost: Double?

    public init(
        source: String, vendor: String, priority: Priority, acknowledge: Duration, resolve: Duration,
        calendar: CalendarSpec? = nil, pauseOn: [String] = [], ladder: String? = nil, steps: [EscalationStep] = []
    ) {
        self.source = source
        self.vendor = vendor
        self.priority = priority
        self.acknowledge = acknowledge
        self.resolve = resolve
        self.calendar = calendar
        self.pauseOn = pauseOn
        self.ladder = ladder
        self.steps = steps
    }

    public func budget(_ target: SLATimer.Kind) -> Duration {
        target == .acknowledge ? acknowledge : resolve
    }

    /// "4h of business hours on 'bangalore-office' (Asia/Kolkata)" or "4h around the clock".
    public func describe(_ target: SLATimer.Kind) -> String {
        let budget = DurationText.format(self.budget(target))
        guard let calendar, !calendar.alwaysOpen else { return "\(budget) around the clock" }
        return "\(budget) of business hours on '\(calendar.name)' (\(calendar.zone))"
    }
}

/// Where an incident's clocks stand: when they started, pauses, and what stopped them.
public struct SLAClockState: Sendable, Equatable, Codable {
    public var startedAt: Date
    /// Finished pauses.
    public var pauses: [Swift.Range<Date>]
    /// Set while paused.
    public var pausedSince: Date?
    public var acknowledgedAt: Date?
    public var resolvedAt: Date?

    public init(
        startedAt: Date, pauses: [Swift.Range<Date>] = [], pausedSince: Date? = nil, acknowledgedAt: Date? = nil,
        resolvedAt: Date? = nil
    ) {
        self.startedAt = startedAt
        self.pauses = pauses
        self.pausedSince = pausedSince
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
    }

    /// Whether `target`'s clock still runs (or is paused): not yet met.
    public func isRunning(_ target: SLATimer.Kind) -> Bool {
        if resolvedAt != nil { return false }
        return target == .resolve || acknowledgedAt == nil
    }

    /// Pauses so far, the current one (if any) up to `now`.
    public func pauses(until now: Date) -> [Swift.Range<Date>] {
        guard let since = pausedSince, since < now else { return pauses }
        return pauses + [since..<now]
    }
}
