import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTesting
import TriageCore
import TriageEngine
@testable import TriageStorePostgres

/// The outbox under concurrency: dispatchers never claim a message twice, an attempt is recorded
/// only by the lease holder, busy endpoints are skipped, and operators retry and drop messages.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresQueueOutboxTests: QueueFixtures {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func concurrentDispatchersClaimEachMessageOnce() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let ids = try await seedMessages(store, count: 30)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for dispatcher in 0..<3 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let messages = try await store.claimDue(limit: 4, owner: "d\(dispatcher)", now: t0, lease: .seconds(60))
                        if messages.isEmpty { return mine }
                        #expect(messages.allSatisfy { $0.owner == "d\(dispatcher)" && $0.attempts == 0 })
                        mine += messages.map(\.id)
                    }
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 30)
        #expect(Set(claimed) == Set(ids))
        #expect(try await store.claimDue(limit: 10, owner: "late", now: t0, lease: .seconds(60)).isEmpty)
    }

    @Test func recordRetriesDeliversAndDeadLetters() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await seedMessages(store, count: 3)
        let due = try await store.claimDue(limit: 10, owner: "D", now: t0, lease: .seconds(60))
        #expect(due.map(\.id) == ["m-0", "m-1", "m-2"])
        let failure = DeliveryFailure(reason: .refused, message: "connection refused")
        try await store.record(attempt(1, failure: failure), for: due[0], then: .retry(at: t0.addingTimeInterval(2)))
        try await store.record(
            attempt(1, status: 400, failure: DeliveryFailure.classify(status: 400)), for: due[1],
            then: .dead(reason: "not retryable: clientError: HTTP 400", at: t0))
        var delivered = attempt(1, status: 201)
        delivered.externalRef = "OPS-7"
        try await store.record(delivered, for: due[2], then: .delivered(at: t0.addingTimeInterval(1)))
        #expect(try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(1), lease: .seconds(60)).isEmpty)
        let retried = try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(2), lease: .seconds(60))
        #expect(retried.map(\.id) == ["m-0"])
        #expect(retried.first?.attempts == 1)
        try await store.record(attempt(2, status: 200), for: retried[0], then: .delivered(at: t0.addingTimeInterval(2)))
        #expect(try await texts(store, "SELECT status AS t FROM outboxMessage ORDER BY id") == ["delivered", "dead", "delivered"])
        #expect(try await texts(store, "SELECT externalRef AS t FROM outboxMessage WHERE externalRef IS NOT NULL") == ["OPS-7"])
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM deliveryAttempt WHERE messageId = 'm-0'") == 2)
        #expect(try await texts(store, "SELECT failureReason AS t FROM deliveryAttempt WHERE messageId = 'm-0' AND number = 1")
            == ["refused"])
        #expect(try await kinds(store, due[0].incidentID.rawValue).suffix(1) == ["delivered"])
        #expect(try await kinds(store, due[1].incidentID.rawValue).suffix(1) == ["dead-letter"])
        #expect(try await texts(store, "SELECT detail AS t FROM incidentEvent WHERE kind = 'dead-letter'")
            == ["to 'acme': not retryable: clientError: HTTP 400"])
        #expect(try await store.claimDue(limit: 10, owner: "D", now: t0.addingTimeInterval(999), lease: .seconds(60)).isEmpty)
    }

    @Test func anAttemptAfterTheLeaseWasTakenOverIsNotRecorded() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await seedMessages(store, count: 1)
        let stale = try #require(try await store.claimDue(limit: 1, owner: "D", now: t0, lease: .seconds(60)).first)
        let fresh = try #require(try await store.claimDue(limit: 1, owner: "E", now: t0.addingTimeInterval(61), lease: .seconds(60)).first)
        #expect(fresh.attempts == 0)
        try await store.record(attempt(1, status: 200), for: stale, then: .delivered(at: t0.addingTimeInterval(62)))
        try await store.postpone(stale, until: t0.addingTimeInterval(999))
        #expect(try await texts(store, "SELECT status || ':' || leaseOwner AS t FROM outboxMessage") == ["pending:E"])
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM deliveryAttempt") == 0)
        try await store.record(attempt(1, status: 200), for: fresh, then: .delivered(at: t0.addingTimeInterval(63)))
        #expect(try await texts(store, "SELECT status AS t FROM outboxMessage") == ["delivered"])
    }

    @Test func busyEndpointsAreSkipped() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await seedMessages(store, count: 4) { "http://vendor-\($0 % 2)/hook" }
        let skipping = try await store.claimDue(
            limit: 10, owner: "D", now: t0, lease: .seconds(60), skipping: ["http://vendor-0/hook", "http://unknown/"])
        #expect(skipping.map(\.id) == ["m-1", "m-3"])
        #expect(try await store.claimDue(limit: 1, owner: "D", now: t0, lease: .seconds(60)).map(\.id) == ["m-0"])
        #expect(try await store.claimDue(limit: 10, owner: "D", now: t0, lease: .seconds(60)).map(\.id) == ["m-2"])
    }

    @Test func operatorsRetryAndDropMessages() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await seedMessages(store, count: 2)
        let due = try await store.claimDue(limit: 10, owner: "D", now: t0, lease: .seconds(60))
        try await store.record(attempt(1, status: 400), for: due[0], then: .dead(reason: "HTTP 400", at: t0))
        #expect(try await store.retryMessage("m-1", now: t0) == false)  // pending
        #expect(try await store.retryMessage("nope", now: t0) == false)
        #expect(try await store.outboxEntries(status: "dead", limit: 10).map(\.id) == ["m-0"])
        #expect(try await store.retryMessage("m-0", now: t0.addingTimeInterval(5)))
        let entry = try #require(try await store.outboxEntries(status: nil, limit: 10).first { $0.id == "m-0" })
        #expect(entry.status == "pending")
        #expect(entry.nextAttemptAt == t0.addingTimeInterval(5))
        #expect(entry.reason == nil)
        #expect(try await store.claimDue(limit: 10, owner: "E", now: t0.addingTimeInterval(5), lease: .seconds(60)).map(\.id) == ["m-0"])
        // Dropping a message that is being delivered: the delivery's record is then ignored.
        #expect(try await store.dropMessage("m-1", reason: "vendor gone", now: t0.addingTimeInterval(6)))
        try await store.record(attempt(1, status: 200), for: due[1], then: .delivered(at: t0.addingTimeInterval(7)))
        let dropped = try await store.outboxEntries(status: "dropped", limit: 10)
        #expect(dropped.map(\.id) == ["m-1"])
        #expect(dropped.first?.reason == "dropped by an operator: vendor gone")
        #expect(dropped.first?.nextAttemptAt == nil)
        #expect(try await kinds(store, due[0].incidentID.rawValue).suffix(2) == ["dead-letter", "redelivery"])
        #expect(try await kinds(store, due[1].incidentID.rawValue).suffix(1) == ["dropped"])
        #expect(try await texts(store, "SELECT detail AS t FROM incidentEvent WHERE kind IN ('redelivery', 'dropped') ORDER BY id")
            == ["message m-0 queued again by an operator", "message m-1: vendor gone"])
        // Delivered messages can be neither retried nor dropped; dropped ones can be retried.
        try await store.record(attempt(2, status: 200), for: due[0].with(owner: "E"), then: .delivered(at: t0.addingTimeInterval(8)))
        #expect(try await store.dropMessage("m-0", reason: "x", now: t0) == false)
        #expect(try await store.retryMessage("m-0", now: t0) == false)
        #expect(try await store.retryMessage("m-1", now: t0.addingTimeInterval(9)))
        #expect(try await store.outboxEntries(status: nil, limit: 1).count == 1)
    }
}
