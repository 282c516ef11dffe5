import Foundation
import Testing
import TriageCore
import TriageEngine

/// SLAClockStore: clocks started by `complete`, leased timers fired at most once, pauses and replans.
extension StoreConformance {
    /// One escalation step at 50 % of the resolve budget.
    var halfway: EscalationStep { EscalationStep(trigger: .percent(50), actions: [.notify("vendor")]) }

    /// `complete` with a clock stores its deadlines and steps as pending timers; `nextTimerDue` is the soonest.
    public func completeWithAClockStartsItsTimers() async throws {
        let store = try await makeStore()
        #expect(try await store.nextTimerDue() == nil)
        let id = try await dispatch(store, draft("s"), vendor: "acme", clock: terms("acme", steps: [halfway]))
        #expect(try await detail(store, id).timers == [
            TimerRecord(
                kind: .acknowledge, dueAt: t0 + 3600, status: "pending", step: -1, label: "acknowledge deadline", occurrence: 0,
                generation: 1, late: false),
            TimerRecord(
                kind: .resolve, dueAt: t0 + 7200, status: "pending", step: 0, label: "resolve 50%", occurrence: 0, generation: 1,
                late: false),
            TimerRecord(
                kind: .resolve, dueAt: t0 + 14_400, status: "pending", step: -1, label: "resolve deadline", occurrence: 0,
                generation: 1, late: false),
        ])
        #expect(try await store.nextTimerDue() == t0 + 3600)
        // Another incident due sooner.
        let soon = try await dispatch(store, draft("s2"), vendor: "globex", clock: terms("globex", acknowledge: 600), at: t0 + 60)
        #expect(try await store.nextTimerDue() == t0 + 660)
        // Its acknowledgement stops its acknowledge timer.
        _ = try await store.accept([draft("s2", .acknowledge)], raw: raw(at: t0 + 100))
        #expect(try await detail(store, soon).timers.map(\.status) == ["stopped", "pending"])
        #expect(try await store.nextTimerDue() == t0 + 3600)
    }

    /// Due timers are leased with their clock and decision; an expired lease is taken over, and the
    /// old owner's outcome is then skipped with all its effects.
    public func dueTimersAreLeasedAndTakenOverAfterExpiry() async throws {
        let store = try await makeStore()
        let snapshot = terms("acme", steps: [halfway])
        let id = try await dispatch(store, draft("t"), vendor: "acme", clock: snapshot)
        #expect(try await store.claimDueTimers(limit: 10, owner: "A", now: t0 + 3599, lease: .seconds(60)).isEmpty)
        let claimedByA = try await store.claimDueTimers(limit: 10, owner: "A", now: t0 + 3600, lease: .seconds(60))
        #expect(claimedByA.count == 1)
        let due = try #require(claimedByA.first)
        #expect(due.incidentID == id)
        #expect(due.generation == 1)
        #expect(due.timer == PlannedTimer(target: .acknowledge, step: -1, occurrence: 0, dueAt: t0 + 3600))
        #expect(due.vendor == "acme")
        #expect(due.priority == .p3)
        #expect(due.incident?.id == id)
        #expect(due.incident?.title == "Incident t")
        #expect(due.clock?.generation == 1)
        #expect(due.clock?.snapshot == snapshot)
        #expect(due.clock?.state == SLAClockState(startedAt: t0))
        #expect(due.clock?.acknowledgeBy == t0 + 3600)
        #expect(due.clock?.resolveBy == t0 + 14_400)
        #expect(due.clock?.title == "Incident t")
        // Leased: nobody else gets it while the lease runs; it is still the next one due.
        #expect(try await store.claimDueTimers(limit: 10, owner: "B", now: t0 + 3659, lease: .seconds(60)).isEmpty)
        #expect(try await store.nextTimerDue() == t0 + 3600)
        // A stalls: after its lease B takes the timer over.
        let claimedByB = try await store.claimDueTimers(limit: 10, owner: "B", now: t0 + 3661, lease: .seconds(60))
        #expect(claimedByB.map(\.id) == [due.id])
        // A comes back: its outcome is skipped, effects and all.
        var byA = FiredTimer(id: due.id, incidentID: id, status: .fired, generation: 1)
        byA.events = [("sla-breach", "fired by A")]
        byA.outbox = [message("t-sla-a", vendor: "notify:duty")]
        try await store.recordFired([byA], owner: "A", now: t0 + 3662)
        let skipped = try await detail(store, id)
        #expect(skipped.timers.map(\.status) == ["pending", "pending", "pending"])
        #expect(skipped.events.map(\.kind) == ["received", "triaged"])
        #expect(skipped.deliveries.map(\.messageID) == ["t-1"])
        // B fires it: once, late, with its effects.
        var byB = FiredTimer(id: due.id, incidentID: id, status: .fired, generation: 1, late: true)
        byB.events = [("sla-breach", "acknowledge target breached by 'acme'")]
        byB.outbox = [message("t-sla-b", vendor: "notify:duty")]
        try await store.recordFired([byB], owner: "B", now: t0 + 3663)
        let fired = try await detail(store, id)
        #expect(fired.timers.first == TimerRecord(
            kind: .acknowledge, dueAt: t0 + 3600, status: "fired", step: -1, label: "acknowledge deadline", occurrence: 0,
            generation: 1, firedAt: t0 + 3663, late: true))
        #expect(fired.events.map(\.kind) == ["received", "triaged", "sla-breach"])
        #expect(fired.events.last?.detail == "acknowledge target breached by 'acme'")
        #expect(fired.events.last?.at == t0 + 3663)
        #expect(fired.deliveries.map(\.messageID) == ["t-1", "t-sla-b"])
        #expect(fired.deliveries.map(\.vendor) == ["acme", "notify:duty"])
        // Recording it again changes nothing; a fired timer is never claimed again.
        try await store.recordFired([byB], owner: "B", now: t0 + 3700)
        #expect(try await detail(store, id).events.count == 3)
        #expect(try await store.claimDueTimers(limit: 10, owner: "C", now: t0 + 3700, lease: .seconds(60)).isEmpty)
        #expect(try await store.nextTimerDue() == t0 + 7200)
    }

    /// Timers are claimed oldest first up to the limit; a fired step raises the priority, adds tags and
    /// plans its repetition; a stale timer has no effect; the clock and history know what fired.
    public func firingATimerCommitsItsEffectsOnce() async throws {
        let store = try await makeStore()
        let step = EscalationStep(
            trigger: .percent(50), actions: [.raisePriority(1), .addTag("sla-at-risk")], repeatEvery: .seconds(600),
            repeatLimit: 2)
        let id = try await dispatch(store, draft("f"), vendor: "acme", clock: terms("acme", steps: [step]))
        let claimed = try await store.claimDueTimers(limit: 2, owner: "W", now: t0 + 14_400, lease: .seconds(60))
        #expect(claimed.map(\.timer) == [
            PlannedTimer(target: .acknowledge, step: -1, dueAt: t0 + 3600), PlannedTimer(target: .resolve, step: 0, dueAt: t0 + 7200),
        ])
        let stale = FiredTimer(id: claimed[0].id, incidentID: id, status: .stale, generation: 1)
        var fired = FiredTimer(id: claimed[1].id, incidentID: id, status: .fired, generation: 1)
        fired.events = [("sla-escalation", "resolve 50% reached for 'acme'")]
        fired.raisePriorityTo = .p2
        fired.tags = ["sla-at-risk"]
        fired.repetition = PlannedTimer(target: .resolve, step: 0, occurrence: 1, dueAt: t0 + 7800)
        try await store.recordFired([stale, fired], owner: "W", now: t0 + 7201)
        let after = try await detail(store, id)
        #expect(after.decision?.priority == .p2)
        #expect(after.decision?.tags == ["sla-at-risk"])
        #expect(after.timers.map(\.status) == ["stale", "fired", "pending", "pending"])
        #expect(after.timers.map(\.label) == ["acknowledge deadline", "resolve 50%", "resolve 50%", "resolve deadline"])
        #expect(after.timers.map(\.occurrence) == [0, 0, 1, 0])
        #expect(after.timers.map(\.dueAt) == [t0 + 3600, t0 + 7200, t0 + 7800, t0 + 14_400])
        #expect(after.events.map(\.kind) == ["received", "triaged", "sla-escalation"])
        #expect(try await store.clocksDue(before: t0 + 86_400, limit: 10).map(\.fired) == [["resolve/0/0"]])
        let history = try await store.slaClockEntries(from: t0, to: t0 + 1, vendor: nil)
        #expect(history.map(\.escalations) == [[.resolve: 1]])
        // The repetition is due next, in the same generation.
        let repeated = try await store.claimDueTimers(limit: 10, owner: "W", now: t0 + 7800, lease: .seconds(60))
        #expect(repeated.map(\.timer) == [PlannedTimer(target: .resolve, step: 0, occurrence: 1, dueAt: t0 + 7800)])
        #expect(repeated.map(\.generation) == [1])
    }

    /// A pause stops the pending timers; resuming makes the clock due a replan, which replaces its
    /// timers once (a second replan with the same record changes nothing).
    public func pauseResumeAndReplanMoveTheDeadlines() async throws {
        let store = try await makeStore()
        let snapshot = terms("acme")
        let id = try await dispatch(store, draft("p"), vendor: "acme", clock: snapshot)
        let unclocked = try await dispatch(store, draft("q"), vendor: nil, at: t0 + 1)
        var generator = SystemRandomNumberGenerator()
        let unknown = IncidentID(now: t0, using: &generator)
        #expect(try await store.pauseClock(unclocked, at: t0 + 600, reason: "no clock") == false)
        #expect(try await store.pauseClock(unknown, at: t0 + 600, reason: "no incident") == false)
        #expect(try await store.resumeClock(id, at: t0 + 600, reason: "not paused") == false)
        #expect(try await store.pauseClock(id, at: t0 + 600, reason: "waiting for a change window"))
        #expect(try await store.pauseClock(id, at: t0 + 700, reason: "again") == false)
        let paused = try await detail(store, id)
        #expect(paused.timers.map(\.status) == ["stopped", "stopped"])
        #expect(paused.events.last?.kind == "sla-paused")
        #expect(paused.events.last?.detail == "waiting for a change window")
        #expect(try await store.nextTimerDue() == nil)
        #expect(try await store.claimDueTimers(limit: 10, owner: "W", now: t0 + 86_400, lease: .seconds(60)).isEmpty)
        #expect(try await store.clocksDue(before: t0 + 86_400, limit: 10).isEmpty)
        #expect(try await store.clocksToReplan(limit: 10).isEmpty)
        #expect(try await store.resumeClock(id, at: t0 + 1200, reason: "window open"))
        #expect(try await store.resumeClock(id, at: t0 + 1300, reason: "again") == false)
        #expect(try await detail(store, id).events.last?.kind == "sla-resumed")
        let due = try await store.clocksToReplan(limit: 10)
        #expect(due.map(\.incidentID) == [id])
        let record = try #require(due.first)
        #expect(record.generation == 1)
        #expect(record.snapshot == snapshot)
        #expect(record.state == SLAClockState(startedAt: t0, pauses: [(t0 + 600)..<(t0 + 1200)]))
        #expect(record.fired.isEmpty)
        let timers = SLASchedule.timers(
            snapshot: record.snapshot, state: record.state, calendar: .twentyFourSeven(), fired: record.fired)
        #expect(timers.map(\.dueAt) == [t0 + 4200, t0 + 15_000])
        try await store.replan(record, timers: timers, acknowledgeBy: t0 + 4200, resolveBy: t0 + 15_000)
        #expect(try await store.clocksToReplan(limit: 10).isEmpty)
        let pending = try await detail(store, id).timers.filter { $0.status == "pending" }
        #expect(pending.map(\.dueAt) == [t0 + 4200, t0 + 15_000])
        #expect(pending.map(\.label) == ["acknowledge deadline", "resolve deadline"])
        #expect(pending.map(\.generation) == [1, 1])
        #expect(try await store.nextTimerDue() == t0 + 4200)
        // The same record again is no longer due a replan: nothing changes.
        try await store.replan(
            record, timers: [PlannedTimer(target: .resolve, step: -1, dueAt: t0 + 99)], acknowledgeBy: nil, resolveBy: t0 + 99)
        #expect(try await detail(store, id).timers.filter { $0.status == "pending" }.map(\.dueAt) == [t0 + 4200, t0 + 15_000])
        let clocks = try await store.clocksDue(before: t0 + 86_400, limit: 10)
        #expect(clocks.map(\.acknowledgeBy) == [t0 + 4200])
        #expect(clocks.map(\.resolveBy) == [t0 + 15_000])
    }

    /// Running clocks whose next deadline falls strictly before an instant, soonest first; resolved clocks never.
    public func clocksDueAreRunningClocksSoonestFirst() async throws {
        let store = try await makeStore()
        let late = try await dispatch(store, draft("late"), vendor: "acme", clock: terms("acme"))
        let soon = try await dispatch(
            store, draft("soon"), vendor: "globex", clock: terms("globex", acknowledge: 600, resolve: 7200), at: t0 + 1)
        try await dispatch(store, draft("over"), vendor: "initech", clock: terms("initech", acknowledge: 60), at: t0 + 2)
        _ = try await store.accept([draft("over", .resolve)], raw: raw(at: t0 + 3))
        #expect(try await store.clocksDue(before: t0 + 4000, limit: 10).map(\.incidentID) == [soon, late])
        #expect(try await store.clocksDue(before: t0 + 4000, limit: 1).map(\.incidentID) == [soon])
        #expect(try await store.clocksDue(before: t0 + 1000, limit: 10).map(\.incidentID) == [soon])
        #expect(try await store.clocksDue(before: t0 + 601, limit: 10).isEmpty)
        // Acknowledged: its next deadline is the resolve one.
        _ = try await store.accept([draft("soon", .acknowledge)], raw: raw(at: t0 + 300))
        #expect(try await store.clocksDue(before: t0 + 4000, limit: 10).map(\.incidentID) == [late])
        let clocks = try await store.clocksDue(before: t0 + 8000, limit: 10)
        #expect(clocks.map(\.incidentID) == [late, soon])
        let record = try #require(clocks.last)
        #expect(record.acknowledgeBy == nil)
        #expect(record.resolveBy == t0 + 7201)
        #expect(record.state == SLAClockState(startedAt: t0 + 1, acknowledgedAt: t0 + 300))
        #expect(record.title == "Incident soon")
    }
}
