import Foundation
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// Export/import round trip, and the vendor counters assignment reads.
struct ArchiveAndVendorStatsTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A store with two incidents: one assigned to acme, delivered after a failed attempt, resolved in time;
    /// one assigned to globex, still open.
    func populated(_ path: String) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path)
        let raw = RawPayload(source: "generic", contentType: "application/json", body: Array(#"{"title":"x"}"#.utf8), receivedAt: t0)
        let accepted = try await store.accept(
            [
                IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", severity: .critical, service: "Billing"),
                IncidentDraft(source: "generic", dedupKey: "b", title: "VPN slow", severity: .warning, labels: ["site": "lyon"]),
            ], raw: raw)
        let items = try await store.claim(limit: 10, owner: "w", now: t0, lease: .seconds(60))
        for item in items {
            let vendor = item.incident.title == "Database down" ? "acme" : "globex"
            let decision = Decision(
                incidentID: item.incident.id, decidedAt: t0, category: "c", priority: vendor == "acme" ? .p1 : .p3,
                vendor: vendor, abstained: false, matchedRules: ["r"], sla: nil, explanation: ["because"])
            try await store.complete(
                item, decision: decision,
                outbox: [NewOutboxMessage(id: "\(item.incident.id.rawValue)-1", vendor: vendor, endpoint: "http://x/\(vendor)", body: [1])],
                clock: SLAClockStart(
                    snapshot: SLASnapshot(
                        source: "contract '\(vendor)'", vendor: vendor, priority: .p1, acknowledge: .seconds(600),
                        resolve: .seconds(3600)),
                    startedAt: t0),
                now: t0)
        }
        let messages = try await store.claimDue(limit: 10, owner: "d", now: t0, lease: .seconds(60))
        let acmeMessage = try #require(messages.first { $0.vendor == "acme" })
        try await store.record(
            DeliveryAttempt(
                number: 1, startedAt: t0, durationMilliseconds: 12, httpStatus: 503,
                failure: DeliveryFailure(reason: .serverError, status: 503, message: "HTTP 503")),
            for: acmeMessage, then: .retry(at: t0 + 5))
        _ = accepted
        // Resolve acme's incident within its resolve target.
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", action: .resolve)],
            raw: RawPayload(source: "generic", contentType: nil, body: [], receivedAt: t0 + 1800))
        return store
    }

    @Test func exportImportRoundTripKeepsEverything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try await populated(directory.path("a.sqlite"))
        let exported = try await source.archives(vendor: nil)
        #expect(exported.count == 2)
        let database = try #require(exported.first { $0.detail.incident.title == "Database down" })
        #expect(database.detail.deliveries.first?.attempts.first?.httpStatus == 503)
        #expect(database.detail.timers.map(\.kind) == [.acknowledge, .resolve])
        #expect(database.detail.events.map(\.kind) == ["received", "triaged", "resolved"])
        #expect(database.payload.body == #"{"title":"x"}"#)
        let target = try SQLiteStore(path: directory.path("b.sqlite"))
        #expect(try await target.restore(exported) == 2)
        #expect(try await target.restore(exported) == 0)  // already there: skipped
        #expect(try await target.archives(vendor: nil) == exported)
        // One vendor's share only.
        let globex = try await source.archives(vendor: "globex")
        #expect(globex.map(\.detail.incident.title) == ["VPN slow"])
    }

    @Test func vendorCountersFollowAssignmentsAndResolutions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await populated(directory.path("s.sqlite"))
        let stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 0)  // resolved
        #expect(stats["acme"]?.assigned == 1)
        #expect(stats["acme"]?.met == 1)
        #expect(stats["acme"]?.attainment == 1)
        #expect(stats["acme"]?.affinity == ["billing": 1])
        #expect(stats["globex"]?.open == 1)
        #expect(stats["globex"]?.openByPriority == [.p3: 1])
        #expect(stats["globex"]?.attainment == nil)
        // A late resolution counts as missed.
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "b", title: "VPN slow", action: .resolve)],
            raw: RawPayload(source: "generic", contentType: nil, body: [], receivedAt: t0 + 7200))
        let later = try await store.vendorStats(since: t0 - 86_400)
        #expect(later["globex"]?.open == 0)
        #expect(later["globex"]?.missed == 1)
        #expect(later["globex"]?.attainment == 0)
    }
}

extension ArchiveAndVendorStatsTests {
    @Test func pendingMessagesCanBeDroppedAndRetried() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await populated(directory.path("o.sqlite"))
        let pending = try await store.outboxEntries(status: "pending", limit: 10)
        #expect(pending.count == 2)
        let message = try #require(pending.first)
        #expect(try await store.dropMessage(message.id, reason: "vendor asked us to stop", now: t0 + 60))
        #expect(try await store.dropMessage(message.id, reason: "again", now: t0 + 61) == false)
        let dropped = try await store.outboxEntries(status: "dropped", limit: 10)
        #expect(dropped.map(\.id) == [message.id])
        #expect(dropped.first?.reason == "dropped by an operator: vendor asked us to stop")
        // Nothing claims a dropped message.
        #expect(try await store.claimDue(limit: 10, owner: "x", now: t0 + 3600, lease: .seconds(60)).map(\.id).contains(message.id) == false)
        #expect(try await store.retryMessage(message.id, now: t0 + 120))
        #expect(try await store.outboxEntries(status: "pending", limit: 10).map(\.id).contains(message.id))
        #expect(try await store.retryMessage("no-such-message", now: t0) == false)
    }
}
