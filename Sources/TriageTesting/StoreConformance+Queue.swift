import Foundation
import Testing
import TriageCore
import TriageEngine

/// WorkQueue and Outbox: leases, completion, capacity arbitration, delivery attempts.
extension StoreConformance {
    /// Work items are leased; an expired lease is taken over and the old owner's completion refused.
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

    /// Completion writes the decision, its outbox message and its timers once; resolving stops the timers.
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

    /// Attempts retry at their instant, deliver, or dead-letter; nothing is claimed twice.
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

    /// An incident's second message to an endpoint is not claimable while its first is pending
    /// (leased or retrying), however due it is; it is once the first is delivered or dead-lettered.
    /// Other endpoints and other incidents are not held back. Ids sort against the queue order here,
    /// so a claim ordered by id (not by the creation sequence) fails.
    public func anIncidentsMessagesToAnEndpointAreClaimedInTheOrderQueued() async throws {
        let store = try await makeStore()
        let ids = try await store.accept([draft("ordered"), draft("other")], raw: raw()).map(\.id)
        let items = try await store.claim(limit: 2, owner: "W", now: t0, lease: .seconds(30))
        let vendor = "http://127.0.0.1:1/acme"
        let queued: [IncidentID: [NewOutboxMessage]] = [
            ids[0]: [
                NewOutboxMessage(id: "z-dispatch", vendor: "acme", endpoint: vendor, body: [1]),
                NewOutboxMessage(id: "a-escalation", vendor: "acme", endpoint: vendor, body: [2]),
                NewOutboxMessage(id: "m-write-back", vendor: "write-back:jira", endpoint: "http://127.0.0.1:1/jira", body: [3]),
            ],
            ids[1]: [
                NewOutboxMessage(id: "y-dispatch", vendor: "acme", endpoint: vendor, body: [4]),
                NewOutboxMessage(id: "b-escalation", vendor: "acme", endpoint: vendor, body: [5]),
            ],
        ]
        for item in items {
            try await store.complete(
                item, decision: decision(item.incident.id, vendor: "acme"), outbox: queued[item.incident.id] ?? [],
                clock: nil, now: t0)
        }
        func claim(at seconds: Double) async throws -> [String] {
            try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(seconds), lease: .seconds(60))
                .map(\.id).sorted()
        }
        // Each incident's first message and the other endpoint's go; both second messages wait.
        let first = try await store.claimDue(limit: 10, owner: "D", now: t0, lease: .seconds(60))
        #expect(first.map(\.id).sorted() == ["m-write-back", "y-dispatch", "z-dispatch"])
        // Leased, not failed: the second messages still wait, even long after they fell due.
        #expect(try await claim(at: 30).isEmpty)
        let refused = DeliveryFailure(reason: .refused, message: "connection refused")
        let dispatch = try #require(first.first { $0.id == "z-dispatch" })
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: t0, durationMilliseconds: 2, httpStatus: nil, failure: refused),
            for: dispatch, then: .retry(at: t0.addingTimeInterval(40)))
        // The other incident's first message is dead-lettered: it holds nothing back.
        let dead = try #require(first.first { $0.id == "y-dispatch" })
        try await store.record(
            DeliveryAttempt(number: 1, startedAt: t0, durationMilliseconds: 2, httpStatus: 400,
                            failure: DeliveryFailure.classify(status: 400)),
            for: dead, then: .dead(reason: "not retryable: clientError: HTTP 400", at: t0))
        // Retrying, not yet due again: only the other incident's escalation is claimable.
        #expect(try await claim(at: 35) == ["b-escalation"])
        // Due again: the retrying dispatch goes, its escalation still waits behind it.
        let retried = try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(40), lease: .seconds(60))
        #expect(retried.map(\.id) == ["z-dispatch"])
        #expect(try await claim(at: 41).isEmpty)
        try await store.record(
            DeliveryAttempt(number: 2, startedAt: t0.addingTimeInterval(40), durationMilliseconds: 3, httpStatus: 200, failure: nil),
            for: retried[0], then: .delivered(at: t0.addingTimeInterval(41)))
        // Delivered: now the escalation goes.
        #expect(try await claim(at: 41) == ["a-escalation"])
    }

    /// A dispatcher whose lease ran out records nothing; the one that took the message over does.
    public func aStaleDispatchersAttemptIsNotRecorded() async throws {
        let store = try await makeStore()
        let item = try await acceptAndClaim(store)
        let decision = Decision(
            incidentID: item.incident.id, decidedAt: t0, category: nil, priority: .p3, vendor: "acme",
            abstained: true, matchedRules: [], sla: nil, explanation: [])
        try await store.complete(
            item, decision: decision, outbox: [NewOutboxMessage(id: "late-1", vendor: "acme", endpoint: "http://127.0.0.1:1/", body: [1])],
            clock: nil, now: t0)
        let stale = try #require(try await store.claimDue(limit: 1, owner: "D", now: t0, lease: .seconds(60)).first)
        let fresh = try #require(
            try await store.claimDue(limit: 1, owner: "E", now: t0.addingTimeInterval(61), lease: .seconds(60)).first)
        #expect(fresh.attempts == 0)
        let ok = DeliveryAttempt(number: 1, startedAt: t0.addingTimeInterval(62), durationMilliseconds: 5, httpStatus: 200, failure: nil)
        try await store.record(ok, for: stale, then: .delivered(at: t0.addingTimeInterval(62)))
        let untouched = try #require(try await store.incident(item.incident.id)?.deliveries.first)
        #expect(untouched.status == "pending")
        #expect(untouched.attempts.isEmpty)
        try await store.record(ok, for: fresh, then: .delivered(at: t0.addingTimeInterval(63)))
        let delivered = try #require(try await store.incident(item.incident.id)?.deliveries.first)
        #expect(delivered.status == "delivered")
        #expect(delivered.attempts.count == 1)
        #expect(delivered.deliveredAt == t0.addingTimeInterval(63))
    }

    func acceptAndClaim(_ store: Store) async throws -> WorkItem {
        _ = try await store.accept([draft("late")], raw: raw())
        return try #require(try await store.claim(limit: 1, owner: "W", now: t0, lease: .seconds(30)).first)
    }

    /// With a capacity, `complete` refuses the assignment that would take the vendor past its limit (all
    /// open incidents, or those of the priority): nothing is written and the lease is kept to decide again.
    public func completeRefusesAnAssignmentPastTheVendorsCapacity() async throws {
        let store = try await makeStore()
        let acme = CapacityLimit(vendor: "acme", priority: .p3, total: 2, forPriority: nil)
        try await dispatch(store, draft("c1"), vendor: "acme", capacity: acme)
        try await dispatch(store, draft("c2"), vendor: "acme", at: t0 + 1, capacity: acme)
        let third = try #require(try await store.accept([draft("c3")], raw: raw(at: t0 + 2)).first).id
        let item = try #require(try await store.claim(limit: 1, owner: "worker", now: t0 + 2, lease: .seconds(60)).first)
        await #expect(throws: WorkQueueError.atCapacity(vendor: "acme", open: 2, capacity: 2)) {
            try await store.complete(
                item, decision: decision(third, vendor: "acme", at: t0 + 2), outbox: [message("c3-1", vendor: "acme")],
                clock: SLAClockStart(snapshot: terms("acme"), startedAt: t0 + 2), capacity: acme, now: t0 + 2)
        }
        let refused = try await detail(store, third)
        #expect(refused.decision == nil)
        #expect(refused.incident.status == .open)
        #expect(refused.queueState == "leased")
        #expect(refused.deliveries.isEmpty)
        #expect(refused.timers.isEmpty)
        #expect(refused.events.map(\.kind) == ["received"])
        let load = try await store.vendorStats(since: t0 - 86_400)["acme"]
        #expect(load?.open == 2)
        #expect(load?.assigned == 2)
        // The worker decides again under the same lease: globex has room.
        try await store.complete(
            item, decision: decision(third, vendor: "globex", at: t0 + 2), outbox: [message("c3-1", vendor: "globex")],
            clock: nil, capacity: CapacityLimit(vendor: "globex", priority: .p3, total: 1, forPriority: nil), now: t0 + 2)
        let assigned = try await detail(store, third)
        #expect(assigned.decision?.vendor == "globex")
        #expect(assigned.incident.status == .assigned)
        #expect(assigned.deliveries.map(\.vendor) == ["globex"])
        // Per priority: one P1 at most, though acme has room overall.
        let p1 = CapacityLimit(vendor: "acme", priority: .p1, total: 10, forPriority: 1)
        try await dispatch(store, draft("c4"), vendor: "acme", priority: .p1, at: t0 + 3, capacity: p1)
        let fifth = try #require(try await store.accept([draft("c5")], raw: raw(at: t0 + 4)).first).id
        let fifthItem = try #require(try await store.claim(limit: 1, owner: "worker", now: t0 + 4, lease: .seconds(60)).first)
        await #expect(throws: WorkQueueError.atCapacity(vendor: "acme", open: 1, capacity: 1)) {
            try await store.complete(
                fifthItem, decision: decision(fifth, vendor: "acme", priority: .p1, at: t0 + 4),
                outbox: [message("c5-1", vendor: "acme")], clock: nil, capacity: p1, now: t0 + 4)
        }
        // Resolving the P1 frees its slot.
        #expect(try await store.accept([draft("c4", .resolve)], raw: raw(at: t0 + 5)).map(\.outcome) == [.resolved])
        try await store.complete(
            fifthItem, decision: decision(fifth, vendor: "acme", priority: .p1, at: t0 + 5),
            outbox: [message("c5-1", vendor: "acme")], clock: nil, capacity: p1, now: t0 + 5)
        let stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 3)
        #expect(stats["acme"]?.openByPriority == [.p3: 2, .p1: 1])
        #expect(stats["globex"]?.open == 1)
        // The total counts every priority: a P2 does not fit in three of three.
        let sixth = try #require(try await store.accept([draft("c6")], raw: raw(at: t0 + 6)).first).id
        let sixthItem = try #require(try await store.claim(limit: 1, owner: "worker", now: t0 + 6, lease: .seconds(60)).first)
        await #expect(throws: WorkQueueError.atCapacity(vendor: "acme", open: 3, capacity: 3)) {
            try await store.complete(
                sixthItem, decision: decision(sixth, vendor: "acme", priority: .p2, at: t0 + 6),
                outbox: [message("c6-1", vendor: "acme")], clock: nil,
                capacity: CapacityLimit(vendor: "acme", priority: .p2, total: 3, forPriority: 5), now: t0 + 6)
        }
        #expect(try await store.vendorStats(since: t0 - 86_400)["acme"]?.assigned == 4)
    }

    /// A capacity limits only what is dispatched: a decision without a vendor or without a message is written.
    public func capacityOnlyLimitsDispatchedAssignments() async throws {
        let store = try await makeStore()
        let full = CapacityLimit(vendor: "acme", priority: .p3, total: 0, forPriority: 0)
        let id = try await store.accept([draft("linked"), draft("nobody")], raw: raw()).map(\.id)
        let items = try await store.claim(limit: 2, owner: "worker", now: t0, lease: .seconds(60))
        let linked = try #require(items.first { $0.incident.id == id[0] })
        let nobody = try #require(items.first { $0.incident.id == id[1] })
        try await store.complete(
            linked, decision: decision(id[0], vendor: "acme"), outbox: [], clock: nil, capacity: full, now: t0)
        try await store.complete(
            nobody, decision: decision(id[1], vendor: nil, category: nil), outbox: [], clock: nil, capacity: full, now: t0)
        for incident in id {
            let triaged = try await detail(store, incident)
            #expect(triaged.queueState == "done")
            #expect(triaged.incident.status == .open)
            #expect(triaged.phase == .triaged)
            #expect(triaged.events.map(\.kind) == ["received", "triaged"])
        }
        #expect(try await detail(store, id[0]).decision?.vendor == "acme")
        #expect(try await store.vendorStats(since: t0 - 86_400).isEmpty)
    }
}
