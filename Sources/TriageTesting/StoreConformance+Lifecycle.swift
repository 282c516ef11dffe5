import Foundation
import Testing
import TriageCore
import TriageEngine

/// LifecycleStore: actions from vendors and operators through the state machine, once per event id.
extension StoreConformance {
    func request(
        _ id: IncidentID, _ action: LifecycleAction, sender: String = "vendor:acme", eventID: String? = nil, at: Date,
        comment: String? = nil
    ) -> LifecycleRequest {
        LifecycleRequest(
            incidentID: id, action: action, sender: sender, eventID: eventID, actor: "jane@acme.example", comment: comment, at: at)
    }

    /// What the state machine answers `action` in `phase` with (a refusal for the illegal ones).
    func expected(_ phase: IncidentPhase, _ action: LifecycleAction) -> LifecycleOutcome {
        switch IncidentStateMachine.next(phase, on: action) {
        case .failure(let error): .refused(error)
        case .success(let next): .applied(from: phase, to: next)
        }
    }

    /// Actions move the phase and its effects; a repeated (sender, event id) only says what it did then.
    public func lifecycleActionsMoveThePhaseOnce() async throws {
        let store = try await makeStore()
        let id = try await dispatch(store, draft("v"), vendor: "acme", clock: terms("acme"))
        #expect(try await detail(store, id).phase == .assigned)
        let acknowledge = request(id, .acknowledge, eventID: "e-1", at: t0 + 60)
        #expect(try await store.apply(acknowledge) == .applied(from: .assigned, to: .acknowledged))
        let acknowledged = try await detail(store, id)
        #expect(acknowledged.phase == .acknowledged)
        #expect(acknowledged.incident.status == .acknowledged)
        #expect(acknowledged.incident.acknowledgedAt == t0 + 60)
        #expect(acknowledged.timers.map(\.kind) == [.acknowledge, .resolve])
        #expect(acknowledged.timers.map(\.status) == ["stopped", "pending"])
        #expect(acknowledged.events.map(\.kind) == ["received", "triaged", "acknowledge"])
        // The same event again: what it did then, nothing more.
        var repeated = acknowledge
        repeated.at = t0 + 120
        #expect(try await store.apply(repeated) == .duplicate("applied: assigned → acknowledged"))
        #expect(try await detail(store, id).events.count == 3)
        #expect(try await detail(store, id).incident.acknowledgedAt == t0 + 60)
        // The same event id from another sender is another event; without an id nothing is remembered.
        let comment = request(id, .comment, sender: "operator", eventID: "e-1", at: t0 + 130, comment: "looking")
        #expect(try await store.apply(comment) == .applied(from: .acknowledged, to: .acknowledged))
        let again = request(id, .acknowledge, at: t0 + 140)
        #expect(try await store.apply(again) == .applied(from: .acknowledged, to: .acknowledged))
        #expect(try await store.apply(again) == .applied(from: .acknowledged, to: .acknowledged))
        // Pause and resume: the clocks pause, then are due a replan with the pause counted.
        #expect(try await store.apply(request(id, .pause, eventID: "e-2", at: t0 + 200)) == .applied(from: .acknowledged, to: .paused))
        #expect(try await detail(store, id).timers.filter { $0.status == "pending" }.isEmpty)
        #expect(try await store.pauseClock(id, at: t0 + 250, reason: "already paused") == false)
        #expect(try await store.apply(request(id, .resume, eventID: "e-3", at: t0 + 800)) == .applied(from: .paused, to: .acknowledged))
        let replan = try await store.clocksToReplan(limit: 10)
        #expect(replan.map(\.incidentID) == [id])
        #expect(replan.first?.state == SLAClockState(startedAt: t0, pauses: [(t0 + 200)..<(t0 + 800)], acknowledgedAt: t0 + 60))
        let final = try await detail(store, id)
        #expect(final.phase == .acknowledged)
        #expect(final.events.map(\.kind) == [
            "received", "triaged", "acknowledge", "comment", "acknowledge", "acknowledge", "pause", "resume",
        ])
    }

    /// An illegal action is refused and recorded (and remembered under its event id); an unknown incident is said so.
    public func lifecycleRefusesIllegalTransitionsAndUnknownIncidents() async throws {
        let store = try await makeStore()
        var generator = SystemRandomNumberGenerator()
        let unknown = IncidentID(now: t0, using: &generator)
        #expect(try await store.apply(request(unknown, .acknowledge, eventID: "u-1", at: t0)) == .unknownIncident)
        let id = try await dispatch(store, draft("w"), vendor: "acme", clock: terms("acme"))
        let resume = request(id, .resume, eventID: "x-1", at: t0 + 60)
        let refusal = expected(.assigned, .resume)
        #expect(refusal.summary.hasPrefix("refused: cannot resume an incident that is assigned"))
        #expect(try await store.apply(resume) == refusal)
        let refused = try await detail(store, id)
        #expect(refused.phase == .assigned)
        #expect(refused.incident.status == .assigned)
        #expect(refused.timers.map(\.status) == ["pending", "pending"])
        #expect(refused.events.map(\.kind) == ["received", "triaged", "illegal-transition"])
        #expect(try await store.apply(resume) == .duplicate(refusal.summary))
        #expect(try await detail(store, id).events.count == 3)
        // Resolved, then closed: a closed incident cannot be acknowledged.
        #expect(try await store.apply(request(id, .resolve, eventID: "x-2", at: t0 + 120)) == .applied(from: .assigned, to: .resolved))
        #expect(try await store.apply(request(id, .close, sender: "operator", at: t0 + 180)) == .applied(from: .resolved, to: .closed))
        let closed = expected(.closed, .acknowledge)
        #expect(closed.summary.hasPrefix("refused: cannot acknowledge an incident that is closed"))
        #expect(try await store.apply(request(id, .acknowledge, eventID: "x-3", at: t0 + 240)) == closed)
        let final = try await detail(store, id)
        #expect(final.phase == .closed)
        #expect(final.incident.status == .resolved)
        #expect(final.incident.acknowledgedAt == nil)
        #expect(final.events.map(\.kind).suffix(3) == ["resolve", "close", "illegal-transition"])
    }

    /// A vendor's resolution stops the clocks and counts the result; reopening puts the incident back
    /// in the vendor's load, its clock going on with the resolved time counted as a pause.
    public func lifecycleResolveAndReopenMoveClocksAndLoad() async throws {
        let store = try await makeStore()
        let id = try await dispatch(store, draft("z"), vendor: "acme", priority: .p2, clock: terms("acme", priority: .p2))
        #expect(try await store.apply(request(id, .resolve, eventID: "z-1", at: t0 + 1800)) == .applied(from: .assigned, to: .resolved))
        let resolved = try await detail(store, id)
        #expect(resolved.incident.status == .resolved)
        #expect(resolved.incident.resolvedAt == t0 + 1800)
        #expect(resolved.timers.map(\.status) == ["stopped", "stopped"])
        #expect(try await store.nextTimerDue() == nil)
        var stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 0)
        #expect(stats["acme"]?.met == 1)
        #expect(try await store.apply(request(id, .reopen, eventID: "z-2", at: t0 + 5400)) == .applied(from: .resolved, to: .assigned))
        let reopened = try await detail(store, id)
        #expect(reopened.phase == .assigned)
        #expect(reopened.incident.status == .assigned)
        #expect(reopened.incident.resolvedAt == nil)
        stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 1)
        #expect(stats["acme"]?.openByPriority == [.p2: 1])
        #expect(stats["acme"]?.met == 1)
        let replan = try await store.clocksToReplan(limit: 10)
        #expect(replan.map(\.incidentID) == [id])
        #expect(replan.map(\.generation) == [1])
        #expect(replan.first?.state == SLAClockState(startedAt: t0, pauses: [(t0 + 1800)..<(t0 + 5400)]))
    }
}
