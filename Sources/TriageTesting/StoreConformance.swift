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
    }

    func raw(_ source: String = "generic", at: Date? = nil) -> RawPayload {
        RawPayload(source: source, contentType: "application/json", body: Array("{}".utf8), receivedAt: at ?? t0)
    }

    func draft(_ key: String, resolved: Bool = false) -> IncidentDraft {
        IncidentDraft(source: "generic", dedupKey: key, title: "Incident \(key)", severity: .error, resolved: resolved)
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
        // After resolution the same key opens a new incident.
        let reopened = try await store.accept([draft("k")], raw: raw(at: t0.addingTimeInterval(20)))
        #expect(reopened[0].outcome == .created)
        #expect(reopened[0].id != first[0].id)
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
            try await store.complete(item, decision: decision, outbox: [], timers: [], now: t0.addingTimeInterval(32))
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
        let plan = SLAPlan(priority: .p1, acknowledgeBy: t0.addingTimeInterval(900), resolveBy: t0.addingTimeInterval(3600))
        let decision = Decision(
            incidentID: item.incident.id, decidedAt: t0, category: "database", priority: .p1, vendor: "acme",
            abstained: false, matchedRules: ["db"], sla: plan, explanation: ["because"])
        let message = NewOutboxMessage(id: "m-1", vendor: "acme", endpoint: "http://127.0.0.1:1/x", body: Array("{}".utf8))
        try await store.complete(item, decision: decision, outbox: [message], timers: plan.timers, now: t0)
        let detail = try #require(try await store.incident(accepted[0].id))
        #expect(detail.decision == decision)
        #expect(detail.incident.status == .assigned)
        #expect(detail.queueState == "done")
        #expect(detail.deliveries.map(\.status) == ["pending"])
        #expect(detail.timers == [
            TimerRecord(kind: .acknowledge, dueAt: plan.acknowledgeBy, status: "pending"),
            TimerRecord(kind: .resolve, dueAt: plan.resolveBy, status: "pending"),
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
            try await store.complete(item, decision: decision, outbox: [message], timers: [], now: t0)
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
        try await store.recordRejected(raw(), reason: "$.title: required field is missing")
        try await store.ping()
    }
}
