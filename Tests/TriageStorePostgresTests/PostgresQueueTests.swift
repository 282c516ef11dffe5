import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTesting
import TriageCore
import TriageEngine
@testable import TriageStorePostgres

/// The work queue and vendor capacity under concurrency: claimers (in one process or
/// several) never take the same item twice, stale owners cannot finish, and assignments never
/// overrun a vendor.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresQueueTests: QueueFixtures {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    // MARK: Work queue

    @Test func concurrentClaimersTakeEachItemOnce() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        // A second store on the same database plays a second process.
        let other = try await PostgresStore.open(store.settings)
        defer { other.close() }
        for batch in 0..<4 {
            _ = try await store.accept((0..<50).map { draft("k\(batch)-\($0)") }, raw: raw())
        }
        let now = t0.addingTimeInterval(1)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for claimer in 0..<4 {
                let queue = claimer.isMultiple(of: 2) ? store : other
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let items = try await queue.claim(limit: 7, owner: "w\(claimer)", now: now, lease: .seconds(60))
                        if items.isEmpty { return mine }
                        #expect(items.count <= 7)
                        #expect(items.allSatisfy { $0.owner == "w\(claimer)" && $0.attempt == 1 && $0.round == 1 })
                        mine += items.map(\.incident.id.rawValue)
                    }
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200)
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM workItem WHERE status = 'leased'") == 200)
        #expect(try await store.claim(limit: 10, owner: "late", now: now, lease: .seconds(60)).isEmpty)
    }

    @Test func claimsComeInQueueOrder() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await store.accept([draft("late")], raw: raw(at: t0.addingTimeInterval(5)))
        _ = try await store.accept([draft("b"), draft("a")], raw: raw())
        let items = try await store.claim(limit: 10, owner: "w", now: t0.addingTimeInterval(10), lease: .seconds(60))
        // Oldest first; items available at the same instant by id.
        #expect(items.map(\.incident.title).last == "Incident late")
        #expect(Set(items.prefix(2).map(\.incident.title)) == ["Incident a", "Incident b"])
        let early = items.prefix(2).map(\.incident.id.rawValue)
        #expect(early == early.sorted())
        #expect(try await store.claim(limit: 10, owner: "w", now: t0.addingTimeInterval(10), lease: .seconds(60)).isEmpty)
    }

    @Test func expiredLeaseIsReclaimedAndTheOldOwnerCannotFinish() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await store.accept([draft("x")], raw: raw())
        let byA = try #require(try await store.claim(limit: 5, owner: "A", now: t0, lease: .seconds(30)).first)
        #expect(byA.attempt == 1)
        #expect(try await store.claim(limit: 5, owner: "B", now: t0.addingTimeInterval(29), lease: .seconds(30)).isEmpty)
        let byB = try #require(try await store.claim(limit: 5, owner: "B", now: t0.addingTimeInterval(31), lease: .seconds(30)).first)
        #expect(byB.attempt == 2)
        await #expect(throws: WorkQueueError.leaseLost(byA.incident.id)) {
            try await store.complete(byA, decision: decision(byA, vendor: nil), outbox: [], clock: nil, now: t0.addingTimeInterval(32))
        }
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM decision") == 0)
        // A's release does nothing either: B holds the item.
        try await store.release(byA, error: "late", retryAt: t0, now: t0.addingTimeInterval(32))
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM workItem WHERE status = 'leased' AND leaseOwner = 'B'") == 1)
        try await store.complete(byB, decision: decision(byB, vendor: nil), outbox: [], clock: nil, now: t0.addingTimeInterval(33))
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM workItem WHERE status = 'done'") == 1)
        #expect(try await kinds(store, byB.incident.id.rawValue) == ["received", "triaged"])
    }

    @Test func releaseRequeuesOrFails() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await store.accept([draft("r")], raw: raw())
        let first = try #require(try await store.claim(limit: 1, owner: "A", now: t0, lease: .seconds(30)).first)
        try await store.release(first, error: "boom", retryAt: t0.addingTimeInterval(100), now: t0.addingTimeInterval(1))
        #expect(try await store.claim(limit: 1, owner: "C", now: t0.addingTimeInterval(99), lease: .seconds(30)).isEmpty)
        let second = try #require(try await store.claim(limit: 1, owner: "C", now: t0.addingTimeInterval(100), lease: .seconds(30)).first)
        #expect(second.attempt == 2)
        try await store.release(second, error: "boom", retryAt: nil, now: t0.addingTimeInterval(101))
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM workItem WHERE status = 'failed' AND lastError = 'boom'") == 1)
        #expect(try await kinds(store, second.incident.id.rawValue) == ["received", "triage-failed"])
    }

    // MARK: Capacity

    @Test func capacityIsArbitratedAcrossConcurrentCompletions() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let other = try await PostgresStore.open(store.settings)
        defer { other.close() }
        _ = try await store.accept((0..<12).map { draft("c\($0)") }, raw: raw())
        let items = try await store.claim(limit: 12, owner: "w", now: t0, lease: .seconds(60))
        #expect(items.count == 12)
        let limit = CapacityLimit(vendor: "acme", priority: .p3, total: 5, forPriority: nil)
        let outcomes = try await withThrowingTaskGroup(of: CompletionOutcome.self) { group in
            for (index, item) in items.enumerated() {
                let queue = index.isMultiple(of: 2) ? store : other
                group.addTask {
                    do {
                        try await queue.complete(
                            item, decision: decision(item, vendor: "acme"), outbox: [message(item, "acme")], clock: nil,
                            capacity: limit, now: t0)
                        return .completed
                    } catch let error as WorkQueueError {
                        return .refused(error)
                    }
                }
            }
            var outcomes: [CompletionOutcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 == .completed }.count == 5)
        let refusals = outcomes.compactMap { if case .refused(let error) = $0 { error } else { nil } }
        #expect(refusals == Array(repeating: .atCapacity(vendor: "acme", open: 5, capacity: 5), count: 7))
        #expect(try await store.vendorStats(since: t0)["acme"]?.open == 5)
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM outboxMessage") == 5)
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM decision") == 5)
        // Refused items stay leased to their worker, which decides again.
        #expect(try await count(store, "SELECT COUNT(*) AS n FROM workItem WHERE status = 'leased' AND leaseOwner = 'w'") == 7)
    }

    @Test func capacityByPriorityAndOtherVendors() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        _ = try await store.accept((0..<4).map { draft("p\($0)") }, raw: raw())
        let items = try await store.claim(limit: 4, owner: "w", now: t0, lease: .seconds(60))
        let p1 = CapacityLimit(vendor: "acme", priority: .p1, total: 10, forPriority: 1)
        try await store.complete(
            items[0], decision: decision(items[0], vendor: "acme", priority: .p1), outbox: [message(items[0], "acme")],
            clock: nil, capacity: p1, now: t0)
        await #expect(throws: WorkQueueError.atCapacity(vendor: "acme", open: 1, capacity: 1)) {
            try await store.complete(
                items[1], decision: decision(items[1], vendor: "acme", priority: .p1), outbox: [message(items[1], "acme")],
                clock: nil, capacity: p1, now: t0)
        }
        // Another priority fits under the total; a decision without a delivery is not counted.
        let p3 = CapacityLimit(vendor: "acme", priority: .p3, total: 2, forPriority: 1)
        try await store.complete(
            items[1], decision: decision(items[1], vendor: "acme"), outbox: [message(items[1], "acme")], clock: nil, capacity: p3,
            now: t0)
        try await store.complete(items[2], decision: decision(items[2], vendor: "acme"), outbox: [], clock: nil, capacity: p3, now: t0)
        await #expect(throws: WorkQueueError.atCapacity(vendor: "acme", open: 2, capacity: 2)) {
            try await store.complete(
                items[3], decision: decision(items[3], vendor: "acme"), outbox: [message(items[3], "acme")], clock: nil,
                capacity: p3, now: t0)
        }
        let stats = try #require(try await store.vendorStats(since: t0)["acme"])
        #expect(stats.open == 2)
        #expect(stats.openByPriority == [.p1: 1, .p3: 1])
        #expect(stats.assigned == 2)
        #expect(stats.affinity.isEmpty)
    }
}
