import Foundation
import TriageCore

/// SLA clocks and their timers, persisted with the incidents.
///
/// Every change of a clock (start, pause, resume, acknowledge, resolve, reassignment) happens in
/// the store's transactions; timers are claimed with a lease and fired at most once each: a
/// fired timer's effects commit in the same transaction that marks it fired, and only if this
/// owner still holds it.
public protocol SLAClockStore: Sendable {
    /// The earliest pending timer's due instant, if any.
    func nextTimerDue() async throws -> Date?

    /// Leases up to `limit` pending timers due at `now`, oldest first, with their clocks.
    func claimDueTimers(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [DueTimer]

    /// Commits what firing the timers did, in one transaction; a timer this owner no longer holds
    /// (its lease ran out and another instance took it) is skipped with all its effects.
    func recordFired(_ outcomes: [FiredTimer], owner: String, now: Date) async throws

    /// Clocks whose timers must be planned again (a pause ended), up to `limit`.
    func clocksToReplan(limit: Int) async throws -> [SLAClockRecord]

    /// Replaces the clock's pending timers by `timers` and its deadlines, if it is still at
    /// `record.generation` and still due a replan.
    func replan(_ record: SLAClockRecord, timers: [PlannedTimer], acknowledgeBy: Date?, resolveBy: Date?) async throws

    /// Pauses the incident's clocks (its pending timers are dropped); `false` if it has no running clock
    /// or is paused already.
    func pauseClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool

    /// Resumes paused clocks: the pause joins the clock's pauses and a replan is due.
    func resumeClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool

    /// Running clocks whose next deadline falls before `before`, soonest first.
    func clocksDue(before: Date, limit: Int) async throws -> [SLAClockRecord]
}

/// What the worker or a reassignment starts: the terms, the state and the first timers.
public struct SLAClockStart: Sendable, Equatable {
    public var snapshot: SLASnapshot
    public var state: SLAClockState
    public var timers: [PlannedTimer]
    public var acknowledgeBy: Date?
    public var resolveBy: Date?

    /// Clocks under `snapshot` started at `startedAt` on `calendar`.
    public init(snapshot: SLASnapshot, startedAt: Date, calendar: BusinessCalendar = .twentyFourSeven()) {
        self.snapshot = snapshot
        self.state = SLAClockState(startedAt: startedAt)
        self.timers = SLASchedule.timers(snapshot: snapshot, state: state, calendar: calendar)
        self.acknowledgeBy = SLASchedule.deadline(.acknowledge, snapshot: snapshot, state: state, calendar: calendar)
        self.resolveBy = SLASchedule.deadline(.resolve, snapshot: snapshot, state: state, calendar: calendar)
    }

    /// The clocks of `plan`, started at `now`; `nil` for a plan without terms.
    public init?(plan: SLAPlan?, now: Date) {
        guard let plan, let snapshot = plan.snapshot else { return nil }
        self.snapshot = snapshot
        self.state = SLAClockState(startedAt: now)
        self.timers = plan.plannedTimers
        self.acknowledgeBy = plan.acknowledgeBy
        self.resolveBy = plan.resolveBy
    }
}

/// An incident's clocks as stored.
public struct SLAClockRecord: Sendable, Equatable {
    public var incidentID: IncidentID
    /// Bumped at each reassignment: timers of an older generation are stale.
    public var generation: Int
    public var snapshot: SLASnapshot
    public var state: SLAClockState
    /// Keys (``PlannedTimer/key``) of the timers of this generation already fired.
    public var fired: Set<String>
    public var acknowledgeBy: Date?
    public var resolveBy: Date?
    public var title: String

    public init(
        incidentID: IncidentID, generation: Int, snapshot: SLASnapshot, state: SLAClockState, fired: Set<String> = [],
        acknowledgeBy: Date? = nil, resolveBy: Date? = nil, title: String = ""
    ) {
        self.incidentID = incidentID
        self.generation = generation
        self.snapshot = snapshot
        self.state = state
        self.fired = fired
        self.acknowledgeBy = acknowledgeBy
        self.resolveBy = resolveBy
        self.title = title
    }
}

/// A claimed timer with what deciding its effect needs.
public struct DueTimer: Sendable, Equatable {
    public var id: Int64
    public var incidentID: IncidentID
    public var generation: Int
    public var timer: PlannedTimer
    /// The incident's clocks now (`nil`: none, e.g. an imported timer).
    public var clock: SLAClockRecord?
    /// The incident's current decision.
    public var vendor: String?
    public var priority: Priority?
    public var incident: Incident?

    public init(
        id: Int64, incidentID: IncidentID, generation: Int, timer: PlannedTimer, clock: SLAClockRecord?,
        vendor: String? = nil, priority: Priority? = nil, incident: Incident? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.generation = generation
        self.timer = timer
        self.clock = clock
        self.vendor = vendor
        self.priority = priority
        self.incident = incident
    }
}

/// What firing one timer did (or that it was stale and did nothing).
public struct FiredTimer: Sendable, Equatable {
    public enum Status: String, Sendable { case fired, stale }

    public var id: Int64
    public var incidentID: IncidentID
    public var status: Status
    /// Fired well after it was due (the service was down or behind).
    public var late: Bool
    public var events: [(kind: String, detail: String)]
    public var outbox: [NewOutboxMessage]
    public var raisePriorityTo: Priority?
    public var tags: [String]
    /// The next repetition of the step, in the same generation.
    public var repetition: PlannedTimer?
    public var generation: Int

    public init(id: Int64, incidentID: IncidentID, status: Status, generation: Int, late: Bool = false) {
        self.id = id
        self.incidentID = incidentID
        self.status = status
        self.generation = generation
        self.late = late
        self.events = []
        self.outbox = []
        self.tags = []
    }

    public static func == (lhs: FiredTimer, rhs: FiredTimer) -> Bool {
        lhs.id == rhs.id && lhs.status == rhs.status && lhs.late == rhs.late
            && lhs.events.map { "\($0.kind) \($0.detail)" } == rhs.events.map { "\($0.kind) \($0.detail)" }
            && lhs.outbox == rhs.outbox && lhs.raisePriorityTo == rhs.raisePriorityTo && lhs.tags == rhs.tags
            && lhs.repetition == rhs.repetition && lhs.generation == rhs.generation
    }
}
