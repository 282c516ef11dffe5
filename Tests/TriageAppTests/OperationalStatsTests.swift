import Foundation
import Testing
import TriageCore
import TriageEngine
import TriageStorePostgres
import TriageStoreSQLite
import TriageTesting

/// Both stores count the queue and the outbox the same way, step by step through claims,
/// completions, retries, expired leases and a dead letter; and neither has migrations pending once open.
struct OperationalStatsTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test func sqliteCountsTheQueueAndTheOutbox() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await check(try SQLiteStore(path: directory.path("t.sqlite")))
    }

    @Test(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
    func postgresCountsTheQueueAndTheOutbox() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        try await check(store)
    }

    func check(_ store: some TriageStore & OperationalStats) async throws {
        #expect(try await store.pendingMigrations() == [])
        #expect(try await store.queueStats(now: t0) == QueueStats())

        let raw = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: t0)
        let drafts = ["a", "b", "c"].map { IncidentDraft(source: "generic", dedupKey: $0, title: "Incident \($0)", severity: .error) }
        _ = try await store.accept(drafts, raw: raw)
        var stats = try await store.queueStats(now: at(60))
        #expect(stats == QueueStats(queued: 3, leased: 0, oldestQueuedAt: t0, outboxPending: 0, outboxDead: 0))
        #expect(stats.depth == 3)
        #expect(stats.oldestAge(at: at(60)) == 60)

        // One claimed: still waiting for a decision, but no longer queued.
        let first = try #require(try await store.claim(limit: 1, owner: "w", now: at(60), lease: .seconds(30)).first)
        stats = try await store.queueStats(now: at(60))
        #expect(stats == QueueStats(queued: 2, leased: 1, oldestQueuedAt: t0))
        #expect(stats.depth == 3)

        // Decided, with a message for the vendor.
        let decision = Decision(
            incidentID: first.incident.id, decidedAt: at(61), category: "database", priority: .p3, vendor: "acme",
            abstained: false, matchedRules: ["db"], sla: nil, explanation: [])
        let message = NewOutboxMessage(
            id: "\(first.incident.id.rawValue)-1", vendor: "acme", endpoint: "http://127.0.0.1:1/", body: [1])
        try await store.complete(first, decision: decision, outbox: [message], clock: nil, now: at(61))

        // One fails and waits for a retry at +600 s; the last is held by a worker whose lease ends at +71 s.
        let second = try #require(try await store.claim(limit: 1, owner: "w", now: at(61), lease: .seconds(30)).first)
        try await store.release(second, error: "boom", retryAt: at(600), now: at(61))
        _ = try #require(try await store.claim(limit: 1, owner: "w", now: at(61), lease: .seconds(10)).first)
        stats = try await store.queueStats(now: at(100))
        #expect(stats == QueueStats(queued: 1, leased: 1, oldestQueuedAt: at(71), outboxPending: 1, outboxDead: 0))
        #expect(stats.oldestAge(at: at(100)) == 29)
        // Before the lease ends and the retry is due, nothing is claimable.
        #expect(try await store.queueStats(now: at(65)).oldestQueuedAt == nil)
        #expect(try await store.queueStats(now: at(65)).oldestAge(at: at(65)) == 0)

        // The message dies: pending no more, dead one.
        let due = try #require(try await store.claimDue(limit: 10, owner: "d", now: at(100), lease: .seconds(60)).first)
        try await store.record(
            DeliveryAttempt(
                number: 1, startedAt: at(100), durationMilliseconds: 3, httpStatus: 400,
                failure: DeliveryFailure.classify(status: 400)),
            for: due, then: .dead(reason: "not retryable", at: at(100)))
        stats = try await store.queueStats(now: at(700))
        #expect(stats == QueueStats(queued: 1, leased: 1, oldestQueuedAt: at(71), outboxPending: 0, outboxDead: 1))
    }
}
