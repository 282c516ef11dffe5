import Foundation
import Testing
import TriageCore
import TriageEngine

/// The behaviour every store adapter must show; SQLite runs it now, PostgreSQL will run the same.
///
/// Each check takes a fresh, empty store from `makeStore`.
public struct StoreConformance<Store: IncidentStore & WorkQueue & Outbox> {
    let makeStore: @Sendable () async throws -> Store
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    public init(makeStore: @escaping @Sendable () async throws -> Store) {
        self.makeStore = makeStore
    }

    /// Runs every check.
    public func run() async throws {
        try await acceptStoresAndQueues()
        try await refireDeduplicatesAndResolveCloses()
        try await claimLeasesAndExpiredLeasesAreReclaimed()
        try await completeWritesDecisionOutboxAndTimersOnce()
        try await outboxRetriesDeliversAndDeadLetters()
        try await rejectedPayloadsAreKept()
        try await lifecycleFollowsTheSender()
        try await refireAfterResolutionFollowsThePolicy()
        try await replayedDeliveriesStoreNothing()
        try await concurrentIntakesAllLand()
    }

    func raw(_ source: String = "generic", at: Date? = nil) -> RawPayload {
        RawPayload(source: source, contentType: "application/json", body: Array("{}".utf8), receivedAt: at ?? t0)
    }

    func draft(_ key: String, resolved: Bool = false) -> IncidentDraft {
        IncidentDraft(source: "generic", dedupKey: key, title: "Incident \(key)", severity: .error, action: resolved ? .resolve : .trigger)
    }

    public func acceptStoresAndQueues() async throws {
        let store = try await makeStore()
        let accepted = try await store.accept([draft("a"), draft("b")], raw: raw())
        #expect(accepted.map(\.outcome) == [.created, .created])
        let detail = try #require(try await store.incident(accepted[0].id))
        #expect(detail.incident.title == "Incident a")
        #expect(detail.incident.status == .open)
        #expect(detail.queueState == "queued")
        #expect(detail.events.map(\.kind) == ["received"])
    }

    public func refireDeduplicatesAndResolveCloses() async throws {
        let store = try await makeStore()
        let first = try await store.accept([draft("k")], raw: raw())
        let again = try await store.accept([draft("k")], raw: raw(at: t0.addingTimeInterval(5)))
        #expect(again == [AcceptedIncident(id: first[0].id, outcome: .deduplicated)])
        let resolved = try await store.accept([draft("k", resolved: true)], raw: raw(at: t0.addingTimeInterval(9)))
        #expect(resolved == [AcceptedIncident(id: first[0].id, outcome: .resolved)])
        #expect(try await store.incident(first[0].id)?.incident.status == .resolved)
        let detail = try #require(try await store.incident(first[0].id))
        #expect(detail.incident.occurrences == 2)
        #expect(detail.incident.resolvedAt == t0.addingTimeInterval(9))
        #expect(detail.incident.lastSeenAt == t0.addingTimeInterval(5))
        // A resolution with nothing open is stored, not queued.
        let orphan = try await store.accept([draft("never-opened", resolved: true)], raw: raw())
        #expect(orphan[0].outcome == .storedResolved)
        #expect(try await store.incident(orphan[0].id)?.queueState == nil)
    }

    public func claimLeasesAndExpiredLeasesAreReclaimed() async throws {
        let store = try await makeStore()
        _ = try await store.accept([draft("x")], raw: raw())
        let claimedByA = try await store.claim(limit: 10, owner: "A", now: t0, lease: .seconds(30))
        #expect(claimedByA.count == 1)
        #expect(claimedByA.first?.attempt == 1)
        // Leased: nobody else gets it while the lease runs.
        #expect(try await store.claim(limit: 10, owner: "B", now: t0.addingTimeInterval(29), lease: .seconds(30)).isEmpty)
        // A crashed: after the lease B gets it, as attempt 2.
        let claimedByB = try await store.claim(limit: 10, owner: "B", now: t0.addingTimeInterval(31), lease: .seconds(30))
        #expect(claimedByB.map(\.attempt) == [2])
        // A comes back and tries to finish: refused, nothing written.
        let item = try #require(claimedByA.first)
        let decision = Decision(
            incidentID: item.incident.id, decidedAt: t0, category: nil, priority: .p3, vendor: nil, abstained: true,
            matchedRules: [], sla: nil, explanation: [])
        await #expect(throws: WorkQueueError.leaseLost(item.incident.id)) {
            try await store.complete(item, decision: decision, outbox: [], clock: nil, now: t0.addingTimeInterval(32))
        }
        #expect(try await store.incident(item.incident.id)?.decision == nil)
        // Release with retry puts it back at the given time; without, marks it failed.
        let itemB = try #require(claimedByB.first)
        try await store.release(itemB, error: "boom", retryAt: t0.addingTimeInterval(100), now: t0.addingTimeInterval(32))
        #expect(try await store.claim(limit: 10, owner: "C", now: t0.addingTimeInterval(99), lease: .seconds(30)).isEmpty)
        let claimedByC = try await store.claim(limit: 10, owner: "C", now: t0.addingTimeInterval(100), lease: .seconds(30))
        #expect(claimedByC.map(\.attempt) == [3])
        try await store.release(claimedByC[0], error: "boom", retryAt: nil, now: t0.addingTimeInterval(101))
        #expect(try await store.incident(item.incident.id)?.queueState == "failed")
    }

    public func completeWritesDecisionOutboxAndTimersOnce() async throws {
        let store = try await makeStore()
        let accepted = try await store.accept([draft("y")], raw: raw())
        let item = try #require(try await store.claim(limit: 1, owner: "A", now: t0, lease: .seconds(30)).first)
        var plan = SLAPlan(priority: .p1, acknowledgeBy: t0.addingTimeInterval(900), resolveBy: t0.addingTimeInterval(3600))
        let terms = SLASnapshot(source: "contract 'acme'", vendor: "acme", priority: .p1, acknowledge: .seconds(900), resolve: .seconds(3600))
        plan.snapshot = terms
        plan.plannedTimers = SLASchedule.timers(snapshot: terms, state: SLAClockState(startedAt: t0), calendar: .twentyFourSeven())
        let decision = Decision(
            incidentID: item.incident.id, decidedAt: t0, category: "database", priority: .p1, vendor: "acme",
            abstained: false, matchedRules: ["db"], sla: plan, explanation: ["because"])
        let message = NewOutboxMessage(id: "m-1", vendor: "acme", endpoint: "http://127.0.0.1:1/x", body: Array("{}".utf8))
        try await store.complete(item, decision: decision, outbox: [message], clock: SLAClockStart(plan: plan, now: t0), now: t0)
        let detail = try #require(try await store.incident(accepted[0].id))
        #expect(detail.decision == decision)
        #expect(detail.incident.status == .assigned)
        #expect(detail.queueState == "done")
        #expect(detail.deliveries.map(\.status) == ["pending"])
        #expect(detail.timers == [
            TimerRecord(
                kind: .acknowledge, dueAt: plan.acknowledgeBy, status: "pending", step: -1, label: "acknowledge deadline",
                occurrence: 0, generation: 1, late: false),
            TimerRecord(
                kind: .resolve, dueAt: plan.resolveBy, status: "pending", step: -1, label: "resolve deadline", occurrence: 0,
                generation: 1, late: false),
        ])
        // Done items are never claimed again.
        #expect(try await store.claim(limit: 10, owner: "B", now: t0.addingTimeInterval(3600), lease: .seconds(30)).isEmpty)
        // Resolving stops the clocks.
        _ = try await store.accept([draft("y", resolved: true)], raw: raw())
        #expect(try await store.incident(accepted[0].id)?.timers.map(\.status) == ["stopped", "stopped"])
    }

    public func outboxRetriesDeliversAndDeadLetters() async throws {
        let store = try await makeStore()
        let ids = try await store.accept([draft("p"), draft("q")], raw: raw()).map(\.id)
        let items = try await store.claim(limit: 2, owner: "W", now: t0, lease: .seconds(30))
        for (index, item) in items.enumerated() {
            let decision = Decision(
                incidentID: item.incident.id, decidedAt: t0, category: nil, priority: .p3, vendor: "acme",
                abstained: true, matchedRules: [], sla: nil, explanation: [])
            let message = NewOutboxMessage(id: "m-\(index)", vendor: "acme", endpoint: "http://127.0.0.1:1/", body: [1])
            try await store.complete(item, decision: decision, outbox: [message], clock: nil, now: t0)
        }
        let due = try await store.claimDue(limit: 10, owner: "D", now: t0, lease: .seconds(60))
        #expect(due.map(\.id).sorted() == ["m-0", "m-1"])
        #expect(try await store.claimDue(limit: 10, owner: "E", now: t0, lease: .seconds(60)).isEmpty)
        let failure = DeliveryFailure(reason: .refused, message: "connection refused")
        let first = try #require(due.first { $0.id == "m-0" })
        let second = try #require(due.first { $0.id == "m-1" })
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: t0, durationMilliseconds: 3, httpStatus: nil, failure: failure),
            for: first, then: .retry(at: t0.addingTimeInterval(2)))
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: t0, durationMilliseconds: 3, httpStatus: 400,
                            failure: DeliveryFailure.classify(status: 400)),
            for: second, then: .dead(reason: "not retryable: clientError: HTTP 400", at: t0))
        #expect(try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(1), lease: .seconds(60)).isEmpty)
        let retried = try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(2), lease: .seconds(60))
        #expect(retried.map(\.id) == ["m-0"])
        #expect(retried.first?.attempts == 1)
        try await store.record(
            DeliveryAttempt(number: 2, startedAt: t0.addingTimeInterval(2), durationMilliseconds: 4, httpStatus: 200, failure: nil),
            for: retried[0], then: .delivered(at: t0.addingTimeInterval(2)))
        let deliveredDetail = try #require(try await store.incident(first.incidentID))
        #expect(deliveredDetail.deliveries.first?.status == "delivered")
        #expect(deliveredDetail.deliveries.first?.attempts.map(\.failure) == [failure, nil])
        let deadDetail = try #require(try await store.incident(second.incidentID))
        #expect(deadDetail.deliveries.first?.status == "dead")
        #expect(deadDetail.events.last?.kind == "dead-letter")
        #expect(Set([first.incidentID, second.incidentID]) == Set(ids))
        #expect(try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(999), lease: .seconds(60)).isEmpty)
    }

    public func rejectedPayloadsAreKept() async throws {
        let store = try await makeStore()
        let big = RawPayload(
            source: "generic", contentType: "application/json", body: Array(repeating: UInt8(ascii: "x"), count: 100),
            receivedAt: t0)
        for index in 0..<5 {
            try await store.recordRejected(
                RejectedPayload(raw: big, status: 422, reason: "reason \(index)", maxBodyBytes: 10), keep: 3)
        }
        let kept = try await store.rejectedPayloads(source: nil, limit: 10)
        #expect(kept.map(\.reason) == ["reason 4", "reason 3", "reason 2"])
        #expect(kept.first?.body == "xxxxxxxxxx")
        #expect(kept.first?.bodyBytes == 100)
        #expect(kept.first?.truncated == true)
        #expect(kept.first?.status == 422)
        #expect(try await store.rejectedPayloads(source: "other", limit: 10).isEmpty)
        try await store.ping()
    }

    func draft(_ key: String, _ action: IncidentDraft.Action, severity: Severity = .error, title: String? = nil)
        -> IncidentDraft
    {
        IncidentDraft(source: "generic", dedupKey: key, title: title ?? "Incident \(key)", severity: severity, action: action)
    }

    public func lifecycleFollowsTheSender() async throws {
        let store = try await makeStore()
        let id = try await store.accept([draft("L", .trigger, severity: .warning)], raw: raw())[0].id
        let refire = try await store.accept([draft("L", .trigger, severity: .critical)], raw: raw(at: t0 + 1))
        #expect(refire == [AcceptedIncident(id: id, outcome: .deduplicated)])
        #expect(try await store.incident(id)?.incident.severity == .critical)
        var renamed = draft("L", .update, title: "Renamed")
        renamed.labels = ["team": "billing"]
        let update = try await store.accept([renamed], raw: raw(at: t0 + 2))
        #expect(update == [AcceptedIncident(id: id, outcome: .updated)])
        // A partial update (title is only the sender's key, no labels) keeps what the incident has.
        var partial = draft("L", .update, title: "L")
        partial.labels = ["escalation": "level-2"]
        #expect(try await store.accept([partial], raw: raw(at: t0 + 2)) == [.init(id: id, outcome: .updated)])
        let ack = try await store.accept([draft("L", .acknowledge)], raw: raw(at: t0 + 3))
        #expect(ack == [AcceptedIncident(id: id, outcome: .acknowledged)])
        let acked = try #require(try await store.incident(id))
        #expect(acked.incident.title == "Renamed")
        #expect(acked.incident.labels == ["team": "billing", "escalation": "level-2"])
        #expect(acked.incident.status == .acknowledged)
        #expect(acked.incident.acknowledgedAt == t0 + 3)
        #expect(acked.incident.occurrences == 2)
        // Still open while acknowledged: a re-fire lands on it.
        #expect(try await store.accept([draft("L", .trigger)], raw: raw(at: t0 + 4)) == [.init(id: id, outcome: .deduplicated)])
        #expect(try await store.accept([draft("L", .resolve)], raw: raw(at: t0 + 5)) == [.init(id: id, outcome: .resolved)])
        // A late update of a resolved incident changes nothing.
        #expect(try await store.accept([draft("L", .update, title: "Late")], raw: raw(at: t0 + 6)) == [.init(id: id, outcome: .ignored)])
        let final = try #require(try await store.incident(id))
        #expect(final.incident.status == .resolved)
        #expect(final.incident.title == "Renamed")
        #expect(final.events.map(\.kind) == ["received", "refired", "updated", "updated", "acknowledged", "refired", "resolved", "ignored"])
        // An acknowledgement with nothing open opens the incident already acknowledged.
        let fresh = try await store.accept([draft("M", .acknowledge)], raw: raw(at: t0 + 7))
        #expect(fresh[0].outcome == .created)
        #expect(try await store.incident(fresh[0].id)?.incident.status == .acknowledged)
    }

    public func refireAfterResolutionFollowsThePolicy() async throws {
        let store = try await makeStore()
        let hour: TimeInterval = 3600
        let reopenWithinHour = RefirePolicy.reopen(within: hour)
        let id = try await store.accept([draft("R", .trigger)], raw: raw())[0].id
        _ = try await store.accept([draft("R", .resolve)], raw: raw(at: t0 + 10))
        // Within the window: the same incident reopens and is queued for a second round of triage.
        let again = try await store.accept(Intake(drafts: [draft("R", .trigger)], raw: raw(at: t0 + 100), refire: reopenWithinHour))
        #expect(again.incidents == [AcceptedIncident(id: id, outcome: .reopened)])
        let reopened = try #require(try await store.incident(id))
        #expect(reopened.incident.status == .open)
        #expect(reopened.incident.resolvedAt == nil)
        #expect(reopened.queueState == "queued")
        let claimed = try await store.claim(limit: 10, owner: "w", now: t0 + 101, lease: .seconds(30))
        #expect(claimed.map(\.round) == [2])
        _ = try await store.accept([draft("R", .resolve)], raw: raw(at: t0 + 200))
        // Past the window: a new incident.
        let late = try await store.accept(
            Intake(drafts: [draft("R", .trigger)], raw: raw(at: t0 + 200 + hour + 1), refire: reopenWithinHour))
        #expect(late.incidents[0].outcome == .created)
        #expect(late.incidents[0].id != id)
        // With `refire: new`, always a new incident.
        _ = try await store.accept([draft("S", .trigger)], raw: raw())
        _ = try await store.accept([draft("S", .resolve)], raw: raw(at: t0 + 1))
        let created = try await store.accept(Intake(drafts: [draft("S", .trigger)], raw: raw(at: t0 + 2), refire: .create))
        #expect(created.incidents[0].outcome == .created)
    }

    public func replayedDeliveriesStoreNothing() async throws {
        let store = try await makeStore()
        var delivery = raw("github")
        delivery.deliveryID = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
        let gh = IncidentDraft(source: "github", dedupKey: "org/repo#1", title: "Broken build")
        let first = try await store.accept(Intake(drafts: [gh], raw: delivery))
        #expect(first.replayedDelivery == false)
        #expect(first.incidents.map(\.outcome) == [.created])
        var replay = delivery
        replay.receivedAt = t0 + 60
        let second = try await store.accept(Intake(drafts: [gh], raw: replay))
        #expect(second.replayedDelivery)
        #expect(second.incidents.isEmpty)
        #expect(try await store.incident(first.incidents[0].id)?.incident.occurrences == 1)
        // The same id from another source is a different delivery.
        var other = delivery
        other.source = "github-enterprise"
        let third = try await store.accept(
            Intake(drafts: [IncidentDraft(source: "github-enterprise", dedupKey: "x", title: "y")], raw: other))
        #expect(third.replayedDelivery == false)
    }

    /// Many webhooks at once (group commit): every one lands, each gets its own answer.
    public func concurrentIntakesAllLand() async throws {
        let store = try await makeStore()
        let intakes = (0..<200).map { Intake(drafts: [draft("C\($0 % 50)", .trigger)], raw: raw()) }
        let receipts = try await withThrowingTaskGroup(of: IntakeReceipt.self) { group in
            for intake in intakes {
                group.addTask { try await store.accept(intake) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let outcomes = receipts.flatMap(\.incidents)
        #expect(outcomes.count == 200)
        #expect(outcomes.filter { $0.outcome == .created }.count == 50)
        #expect(outcomes.filter { $0.outcome == .deduplicated }.count == 150)
        #expect(Set(outcomes.map(\.id)).count == 50)
        for id in Set(outcomes.map(\.id)) {
            #expect(try await store.incident(id)?.incident.occurrences == 4)
        }
    }
}
