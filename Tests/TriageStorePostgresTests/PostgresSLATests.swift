import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTesting
import TriageCore
import TriageEngine
@testable import TriageStorePostgres

/// SLA clocks, their timers across instances, SLA history and lifecycle actions on PostgreSQL.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresSLATests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let terms = SLASnapshot(
        source: "contract 'acme'", vendor: "acme", priority: .p3, acknowledge: .seconds(600), resolve: .seconds(3600))

    /// `count` seeded incidents, each with a clock started at `t0` and `timers` resolve steps due
    /// one second apart from `due` (the default deadlines when `timers` is `nil`).
    func seed(_ store: PostgresStore, count: Int, timers: Int? = nil, due: Date? = nil) async throws -> [IncidentID] {
        var generator = SystemRandomNumberGenerator()
        let clocks = (0..<count).map { index -> (id: IncidentID, title: String, clock: SLAClockStart) in
            var clock = SLAClockStart(snapshot: Self.terms, startedAt: t0)
            if let timers {
                clock.timers = (0..<timers).map { step in
                    PlannedTimer(target: .resolve, step: step, dueAt: (due ?? t0).addingTimeInterval(Double(step)))
                }
            }
            return (IncidentID(now: t0, using: &generator), "incident \(index)", clock)
        }
        try await store.seedClocks(clocks, now: t0)
        return clocks.map(\.id)
    }

    /// The details of the events of `kind`, oldest first (`id`: one incident's only).
    func events(_ store: PostgresStore, _ kind: String, _ id: IncidentID? = nil) async throws -> [String] {
        try await store.read { c in
            try await c.rows(
                """
                SELECT detail FROM incidentEvent
                WHERE kind = \(kind) AND (\(id?.rawValue)::text IS NULL OR incidentId = \(id?.rawValue))
                ORDER BY id
                """, logger: Logger(label: "test")
            ).map { try $0.get("detail", as: String.self) }
        }
    }

    /// A timer fired with one event saying by whom.
    func fired(_ timer: DueTimer, by owner: String) -> FiredTimer {
        var outcome = FiredTimer(id: timer.id, incidentID: timer.incidentID, status: .fired, generation: timer.generation)
        outcome.events = [(kind: "sla-step", detail: "step \(timer.timer.step) by \(owner)")]
        return outcome
    }

    @Test func threeInstancesFireEachOfTwoThousandTimersOnce() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await seed(store, count: 200, timers: 10, due: t0.addingTimeInterval(-3600))
        #expect(try await store.timerCounts()["pending"] == 2000)
        let now = t0
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for owner in ["a", "b", "c"] {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let due = try await store.claimDueTimers(limit: 25, owner: owner, now: now, lease: .seconds(60))
                        if due.isEmpty { return mine }
                        mine += due.map(\.id)
                        try await store.recordFired(due.map { fired($0, by: owner) }, owner: owner, now: now)
                    }
                }
            }
            var all: [[Int64]] = []
            for try await ids in group { all.append(ids) }
            return all
        }
        let everything = claims.flatMap { $0 }
        #expect(everything.count == 2000)
        #expect(Set(everything).count == 2000)  // no timer claimed twice
        let counts = try await store.timerCounts()
        #expect(counts["fired"] == 2000)
        #expect(counts["pending"] == nil)
        #expect(try await events(store, "sla-step").count == 2000)
        #expect(try await store.firedTimerLags().count == 2000)
        #expect(try await store.nextTimerDue() == nil)
    }

    @Test func seedingTenThousandClocksAndShiftingTheirTimers() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let started = ContinuousClock.now
        for _ in 0..<2 { _ = try await seed(store, count: 5000) }
        #expect(ContinuousClock.now - started < .seconds(30))  // a handful of statements per batch, not one per row
        #expect(try await store.timerCounts() == ["pending": 20_000])
        #expect(try await store.nextTimerDue() == t0 + 600)
        try await store.shiftPendingTimers(dueBefore: t0 + 601, by: 60)
        #expect(try await store.nextTimerDue() == t0 + 660)
        #expect(try await store.claimDueTimers(limit: 100, owner: "w", now: t0 + 3600, lease: .seconds(60)).count == 100)
    }

    @Test func anExpiredLeaseIsTakenOverAndTheLateOwnerIsSkipped() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let id = try #require(try await seed(store, count: 1, timers: 1, due: t0.addingTimeInterval(-10)).first)
        #expect(try await store.nextTimerDue() == t0.addingTimeInterval(-10))
        let first = try await store.claimDueTimers(limit: 10, owner: "a", now: t0, lease: .seconds(1))
        #expect(first.count == 1)
        #expect(first.first?.vendor == "acme")
        #expect(first.first?.priority == .p3)
        #expect(first.first?.clock?.generation == 1)
        #expect(first.first?.incident?.title == "incident 0")
        #expect(try await store.claimDueTimers(limit: 10, owner: "b", now: t0, lease: .seconds(60)).isEmpty)  // held by a

        let taken = try await store.claimDueTimers(limit: 10, owner: "b", now: t0 + 5, lease: .seconds(60))
        #expect(taken.map(\.id) == first.map(\.id))
        #expect(try await store.claimDueTimers(limit: 10, owner: "a", now: t0 + 6, lease: .seconds(1)).isEmpty)  // held by b

        // a comes back late: nothing it did counts, not even its events or notices.
        var late = try #require(first.first.map { fired($0, by: "a") })
        late.outbox = [NewOutboxMessage(id: "n-a", vendor: "acme", endpoint: "http://127.0.0.1:1/acme", body: [1])]
        late.raisePriorityTo = .p1
        try await store.recordFired([late], owner: "a", now: t0 + 7)
        #expect(try await store.timerCounts()["pending"] == 1)
        #expect(try await events(store, "sla-step", id).isEmpty)

        var done = try #require(taken.first.map { fired($0, by: "b") })
        done.raisePriorityTo = .p1
        done.tags = ["sla-at-risk"]
        done.repetition = PlannedTimer(target: .resolve, step: 0, occurrence: 1, dueAt: t0 + 600)
        try await store.recordFired([done], owner: "b", now: t0 + 8)
        try await store.recordFired([done], owner: "b", now: t0 + 9)  // a replay changes nothing
        #expect(try await events(store, "sla-step", id) == ["step 0 by b"])
        let counts = try await store.timerCounts()
        #expect(counts["fired"] == 1)
        #expect(counts["pending"] == 1)  // the repetition
        #expect(try await store.nextTimerDue() == t0 + 600)
        #expect(try await store.clocksDue(before: t0 + 601, limit: 10).first?.fired == ["resolve/0/0"])
        let decision = try await store.read { c in
            try await c.row("SELECT priority, body FROM decision WHERE incidentId = \(id.rawValue)", logger: Logger(label: "test"))
        }
        #expect(try decision?.get("priority", as: String.self) == "P1")
        #expect(try decision?.get("body", as: String.self).contains("sla-at-risk") == true)
        let outbox = try await store.read { c in
            try await c.rows("SELECT id FROM outboxMessage", logger: Logger(label: "test")).count
        }
        #expect(outbox == 0)
    }

    @Test func pauseResumeAndReplanRoundTrip() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let id = try #require(try await seed(store, count: 1).first)
        #expect(try await store.timerCounts()["pending"] == 2)  // acknowledge and resolve deadlines
        #expect(try await store.clocksDue(before: t0 + 601, limit: 10).map(\.incidentID) == [id])
        #expect(try await store.clocksDue(before: t0 + 600, limit: 10).isEmpty)

        #expect(try await store.pauseClock(id, at: t0 + 60, reason: "vendor waits for a change window"))
        #expect(try await store.pauseClock(id, at: t0 + 61, reason: "again") == false)
        #expect(try await store.timerCounts()["pending"] == nil)
        #expect(try await store.clocksDue(before: t0 + 100_000, limit: 10).isEmpty)
        #expect(try await store.clocksToReplan(limit: 10).isEmpty)
        #expect(try await events(store, "sla-paused", id) == ["vendor waits for a change window"])

        #expect(try await store.resumeClock(id, at: t0 + 120, reason: "window over"))
        #expect(try await store.resumeClock(id, at: t0 + 121, reason: "again") == false)
        #expect(try await events(store, "sla-resumed", id) == ["window over"])
        let record = try #require(try await store.clocksToReplan(limit: 10).first)
        #expect(record.incidentID == id)
        #expect(record.generation == 1)
        #expect(record.state.pauses == [(t0 + 60)..<(t0 + 120)])
        #expect(record.state.pausedSince == nil)
        #expect(record.title == "incident 0")

        let timers = [
            PlannedTimer(target: .acknowledge, step: SLASchedule.deadlineStep, dueAt: t0 + 660),
            PlannedTimer(target: .resolve, step: SLASchedule.deadlineStep, dueAt: t0 + 3660),
        ]
        try await store.replan(record, timers: timers, acknowledgeBy: t0 + 660, resolveBy: t0 + 3660)
        #expect(try await store.timerCounts()["pending"] == 2)
        #expect(try await store.nextTimerDue() == t0 + 660)
        #expect(try await store.clocksToReplan(limit: 10).isEmpty)
        #expect(try await store.clocksDue(before: t0 + 661, limit: 10).first?.acknowledgeBy == t0 + 660)
        // A second replan of the same record (another instance's) changes nothing.
        try await store.replan(record, timers: [timers[0]], acknowledgeBy: nil, resolveBy: nil)
        #expect(try await store.timerCounts()["pending"] == 2)
        #expect(try await store.clocksDue(before: t0 + 661, limit: 10).map(\.incidentID) == [id])
    }

    @Test func aRepeatedLifecycleEventIsADuplicate() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let ids = try await seed(store, count: 2)
        func request(_ id: IncidentID, _ action: LifecycleAction, _ event: String?) -> LifecycleRequest {
            LifecycleRequest(
                incidentID: id, action: action, sender: "vendor:acme", eventID: event, actor: "jane", comment: "on it", at: t0 + 60)
        }
        #expect(try await store.apply(request(ids[0], .acknowledge, "e-1")) == .applied(from: .assigned, to: .acknowledged))
        #expect(try await store.apply(request(ids[0], .acknowledge, "e-1")) == .duplicate("applied: assigned → acknowledged"))
        #expect(try await events(store, "acknowledge", ids[0]) == ["assigned → acknowledged by jane (vendor:acme): on it"])
        let refused = try await store.apply(request(ids[0], .resume, "e-2"))
        guard case .refused = refused else {
            Issue.record("expected a refusal, got \(refused)")
            return
        }
        #expect(try await store.apply(request(ids[0], .resume, "e-2")) == .duplicate(refused.summary))
        var generator = SystemRandomNumberGenerator()
        #expect(try await store.apply(request(IncidentID(now: t0, using: &generator), .resolve, "e-3")) == .unknownIncident)

        // The same event delivered to five instances at once is applied once.
        let outcomes = try await withThrowingTaskGroup(of: LifecycleOutcome.self) { group in
            for _ in 0..<5 { group.addTask { try await store.apply(request(ids[1], .resolve, "e-4")) } }
            var all: [LifecycleOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == .applied(from: .assigned, to: .resolved) }.count == 1)
        #expect(outcomes.filter { $0 == .duplicate("applied: assigned → resolved") }.count == 4)
        #expect(try await events(store, "resolve", ids[1]).count == 1)
    }

    @Test func slaHistoryShowsTheTurnAfterResolution() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let id = try #require(try await seed(store, count: 1, timers: 1, due: t0 + 30).first)
        let due = try await store.claimDueTimers(limit: 10, owner: "w", now: t0 + 60, lease: .seconds(60))
        #expect(due.count == 1)
        try await store.recordFired(due.map { fired($0, by: "w") }, owner: "w", now: t0 + 60)
        let resolved = try await store.apply(
            LifecycleRequest(incidentID: id, action: .resolve, sender: "operator", actor: "ops", at: t0 + 900))
        #expect(resolved == .applied(from: .assigned, to: .resolved))

        let entries = try await store.slaClockEntries(from: t0 - 1, to: t0 + 1, vendor: "acme")
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.incidentID == id.rawValue)
        #expect(entry.generation == 1)
        #expect(entry.snapshot == Self.terms)
        #expect(entry.state.resolvedAt == t0 + 900)
        #expect(entry.endedAt == nil)
        #expect(entry.escalations == [.resolve: 1])
        #expect(entry.reassignments == 0)
        #expect(entry.reopened == false)
        #expect(try await store.slaClockEntries(from: t0 - 1, to: t0 + 1, vendor: nil).count == 1)
        #expect(try await store.slaClockEntries(from: t0 - 1, to: t0 + 1, vendor: "globex").isEmpty)
        #expect(try await store.slaClockEntries(from: t0 + 1, to: t0 + 2, vendor: nil).isEmpty)
    }
}
