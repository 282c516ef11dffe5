import FoundationEssentials

/// The deadlines an incident's vendor must meet, computed from its contract (or a rule's SLA
/// policy) at assignment time, on the calendar the terms name, and the terms themselves frozen
/// in ``snapshot`` for the clocks that follow.
public struct SLAPlan: Sendable, Equatable, Codable {
    public var priority: Priority
    public var acknowledgeBy: Date
    public var resolveBy: Date
    /// The terms the clocks run under (absent in plans stored before business-hour clocks).
    public var snapshot: SLASnapshot?
    /// The timers to start with the clocks: deadlines and escalation steps (not stored with the
    /// decision; the store keeps them as timers).
    public var plannedTimers: [PlannedTimer] = []

    enum CodingKeys: String, CodingKey {
        case priority, acknowledgeBy, resolveBy, snapshot
    }

    /// Plans are equal by what is stored; the planned timers are derived from it.
    public static func == (lhs: SLAPlan, rhs: SLAPlan) -> Bool {
        lhs.priority == rhs.priority && lhs.acknowledgeBy == rhs.acknowledgeBy && lhs.resolveBy == rhs.resolveBy
            && lhs.snapshot == rhs.snapshot
    }

    public init(priority: Priority, acknowledgeBy: Date, resolveBy: Date) {
        self.priority = priority
        self.acknowledgeBy = acknowledgeBy
        self.resolveBy = resolveBy
    }

    /// The plan for `priority` under `vendor`'s contract (or `policy`, which overrides what it
    /// sets), starting at `now`; `nil` when neither has a target for that priority, or when the
    /// calendar has no open hours within 400 days.
    public static func make(priority: Priority, vendor: Vendor, now: Date, policy: SLAPolicy? = nil) -> SLAPlan? {
        guard let snapshot = snapshot(priority: priority, vendor: vendor, policy: policy) else { return nil }
        let state = SLAClockState(startedAt: now)
        let calendar = clockCalendar(vendor: vendor, policy: policy) ?? .twentyFourSeven()
        guard let acknowledge = SLASchedule.deadline(.acknowledge, snapshot: snapshot, state: state, calendar: calendar),
            let resolve = SLASchedule.deadline(.resolve, snapshot: snapshot, state: state, calendar: calendar)
        else { return nil }
        var plan = SLAPlan(priority: priority, acknowledgeBy: acknowledge, resolveBy: resolve)
        plan.snapshot = snapshot
        plan.plannedTimers = SLASchedule.timers(snapshot: snapshot, state: state, calendar: calendar)
        return plan
    }

    /// The terms for `priority`: the policy's where it sets them, else the vendor contract's.
    public static func snapshot(priority: Priority, vendor: Vendor, policy: SLAPolicy?) -> SLASnapshot? {
        guard let target = policy?.targets[priority] ?? vendor.contract.targets[priority] else { return nil }
        let calendar = clockCalendar(vendor: vendor, policy: policy)
        let ladder = policy?.escalation ?? vendor.contract.escalation
        var snapshot = SLASnapshot(
            source: policy.map { "SLA policy '\($0.name)'" } ?? "contract '\(vendor.name)'",
            vendor: vendor.name, priority: priority, acknowledge: target.acknowledge, resolve: target.resolve,
            calendar: calendar.map(CalendarSpec.init), pauseOn: policy?.pauseOn ?? vendor.contract.pauseOn,
            ladder: ladder?.name, steps: ladder?.steps ?? [])
        let price = vendor.cost(for: priority)
        snapshot.cost = price > 0 ? price : nil
        return snapshot
    }

    /// The calendar the clocks count on (`nil`: around the clock), as the terms choose it.
    static func clockCalendar(vendor: Vendor, policy: SLAPolicy?) -> BusinessCalendar? {
        switch policy?.clock ?? vendor.contract.clock {
        case .vendorHours: vendor.calendar
        case .always: nil
        case .calendar(let named): named
        }
    }
}

/// The two SLA targets a clock runs for (timers themselves are ``PlannedTimer``s).
public enum SLATimer {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case acknowledge
        case resolve
    }
}
