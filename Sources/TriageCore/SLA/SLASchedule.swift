import FoundationEssentials

/// One SLA timer to keep: the deadline of a target (step `deadlineStep`) or an escalation step,
/// and which repetition of it.
public struct PlannedTimer: Sendable, Hashable, Codable {
    public var target: SLATimer.Kind
    /// Index into the snapshot's steps, or ``SLASchedule/deadlineStep`` for the deadline itself.
    public var step: Int
    public var occurrence: Int
    public var dueAt: Date

    public init(target: SLATimer.Kind, step: Int, occurrence: Int = 0, dueAt: Date) {
        self.target = target
        self.step = step
        self.occurrence = occurrence
        self.dueAt = dueAt
    }

    /// Identifies the timer within one generation of an incident's clocks.
    public var key: String { "\(target.rawValue)/\(step)/\(occurrence)" }
}

/// Where one target's budget stands at an instant.
public struct SLAStatus: Sendable, Equatable {
    public var target: SLATimer.Kind
    public var budget: Duration
    /// Business time used so far (pauses excluded).
    public var used: Duration
    /// Business time left; negative once breached.
    public var remaining: Duration
    /// The deadline, if the clock runs (nil while paused, or when met).
    public var deadline: Date?
    public var paused: Bool

    public var fractionUsed: Double { budget > .zero ? used.timeInterval / budget.timeInterval : 1 }
}

/// The pure arithmetic of SLA clocks: deadlines and escalation instants on a business calendar,
/// with pauses. No clock is read; everything takes the state and, where needed, `now`.
public enum SLASchedule {
    public static let deadlineStep = -1

    /// The calendar a snapshot's clocks run on (24×7 without one), given its zone's rules.
    public static func calendar(for snapshot: SLASnapshot, zone: ZoneRules?) -> BusinessCalendar? {
        guard let spec = snapshot.calendar, !spec.alwaysOpen else { return .twentyFourSeven() }
        guard let zone else { return nil }
        return spec.calendar(zone: zone)
    }

    /// When `target` is due, or `nil` when its clock is paused or no longer running.
    public static func deadline(
        _ target: SLATimer.Kind, snapshot: SLASnapshot, state: SLAClockState, calendar: BusinessCalendar
    ) -> Date? {
        guard state.isRunning(target), state.pausedSince == nil else { return nil }
        return calendar.adding(snapshot.budget(target), to: state.startedAt, pausedDuring: state.pauses)
    }

    /// The instant step `index` of the snapshot's ladder falls due (first occurrence).
    public static func instant(
        ofStep index: Int, snapshot: SLASnapshot, state: SLAClockState, calendar: BusinessCalendar
    ) -> Date? {
        guard snapshot.steps.indices.contains(index) else { return nil }
        let step = snapshot.steps[index]
        let budget = snapshot.budget(step.target)
        let spent: Duration
        switch step.trigger {
        case .percent(let percent):
            spent = .seconds(Int64((budget.timeInterval * percent / 100).rounded()))
        case .remaining(let left):
            spent = max(.zero, budget - left)
        }
        return calendar.adding(spent, to: state.startedAt, pausedDuring: state.pauses)
    }

    /// Every timer the clocks need now: each running target's deadline and ladder steps, minus
    /// those already fired (`fired` holds ``PlannedTimer/key``s). None while paused.
    public static func timers(
        snapshot: SLASnapshot, state: SLAClockState, calendar: BusinessCalendar, fired: Set<String> = []
    ) -> [PlannedTimer] {
        guard state.pausedSince == nil else { return [] }
        var timers: [PlannedTimer] = []
        for target in SLATimer.Kind.allCases where state.isRunning(target) {
            if let due = deadline(target, snapshot: snapshot, state: state, calendar: calendar) {
                timers.append(PlannedTimer(target: target, step: deadlineStep, dueAt: due))
            }
        }
        for (index, step) in snapshot.steps.enumerated() where state.isRunning(step.target) {
            guard let due = instant(ofStep: index, snapshot: snapshot, state: state, calendar: calendar) else { continue }
            timers.append(PlannedTimer(target: step.target, step: index, dueAt: due))
            // A repeating step that has fired goes on from its next repetition (after a pause, say).
            if let every = step.repeatEvery, every > .zero {
                let firedOccurrences = (0...step.repeatLimit).filter {
                    fired.contains(PlannedTimer(target: step.target, step: index, occurrence: $0, dueAt: due).key)
                }
                if let last = firedOccurrences.last, last < step.repeatLimit {
                    timers.append(PlannedTimer(
                        target: step.target, step: index, occurrence: last + 1,
                        dueAt: due.addingTimeInterval(every.timeInterval * Double(last + 1))))
                }
            }
        }
        return timers.filter { !fired.contains($0.key) }.sorted { ($0.dueAt, $0.step) < ($1.dueAt, $1.step) }
    }

    /// The next repetition of a fired step, if it repeats and has repetitions left.
    public static func repetition(after timer: PlannedTimer, snapshot: SLASnapshot) -> PlannedTimer? {
        guard snapshot.steps.indices.contains(timer.step), let every = snapshot.steps[timer.step].repeatEvery,
            every > .zero, timer.occurrence < snapshot.steps[timer.step].repeatLimit
        else { return nil }
        return PlannedTimer(
            target: timer.target, step: timer.step, occurrence: timer.occurrence + 1,
            dueAt: timer.dueAt.addingTimeInterval(every.timeInterval))
    }

    /// How much of `target`'s budget is used at `now`, and what is left.
    public static func status(
        _ target: SLATimer.Kind, snapshot: SLASnapshot, state: SLAClockState, calendar: BusinessCalendar, now: Date
    ) -> SLAStatus {
        let stoppedAt = target == .acknowledge ? (state.acknowledgedAt ?? state.resolvedAt) : state.resolvedAt
        let end = min(now, stoppedAt ?? now)
        let used = calendar.businessDuration(from: state.startedAt, to: end, pausedDuring: state.pauses(until: end))
        let budget = snapshot.budget(target)
        return SLAStatus(
            target: target, budget: budget, used: used, remaining: budget - used,
            deadline: deadline(target, snapshot: snapshot, state: state, calendar: calendar),
            paused: state.pausedSince != nil)
    }
}
