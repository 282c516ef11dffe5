import Foundation
import Testing
import TriageCore
import TriageEngine

/// IncidentArchiveStore: export from one store, import into another, nothing lost.
extension StoreConformance {
    /// A store with two incidents from one payload: "Database down" assigned to acme, delivered after a
    /// failed attempt, resolved in time; "VPN slow" assigned to globex, still open.
    func populated() async throws -> (store: Store, database: IncidentID, vpn: IncidentID) {
        let store = try await makeStore()
        let payload = RawPayload(
            source: "generic", contentType: "application/json", body: Array(#"{"title":"x"}"#.utf8), receivedAt: t0)
        let ids = try await store.accept(
            [
                IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", severity: .critical, service: "Billing"),
                IncidentDraft(source: "generic", dedupKey: "b", title: "VPN slow", severity: .warning, labels: ["site": "lyon"]),
            ], raw: payload
        ).map(\.id)
        let items = try await store.claim(limit: 10, owner: "w", now: t0, lease: .seconds(60))
        #expect(items.count == 2)
        for item in items {
            let vendor = item.incident.id == ids[0] ? "acme" : "globex"
            try await store.complete(
                item, decision: decision(item.incident.id, vendor: vendor, priority: vendor == "acme" ? .p1 : .p3),
                outbox: [message("\(vendor)-1", vendor: vendor)],
                clock: SLAClockStart(snapshot: terms(vendor, priority: .p1, acknowledge: 600, resolve: 3600), startedAt: t0),
                now: t0)
        }
        let messages = try await store.claimDue(limit: 10, owner: "d", now: t0, lease: .seconds(60))
        let acme = try #require(messages.first { $0.vendor == "acme" })
        try await store.record(
            DeliveryAttempt(
                number: 1, startedAt: t0, durationMilliseconds: 12, httpStatus: 503,
                failure: DeliveryFailure(reason: .serverError, status: 503, message: "HTTP 503")),
            for: acme, then: .retry(at: t0 + 5))
        let retried = try #require(try await store.claimDue(limit: 10, owner: "d", now: t0 + 5, lease: .seconds(60)).first)
        #expect(retried.id == "acme-1")
        #expect(retried.attempts == 1)
        try await store.record(
            DeliveryAttempt(number: 2, startedAt: t0 + 5, durationMilliseconds: 30, httpStatus: 201, failure: nil),
            for: retried, then: .delivered(at: t0 + 5))
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", action: .resolve)],
            raw: RawPayload(source: "generic", contentType: nil, body: [], receivedAt: t0 + 1800))
        return (store, ids[0], ids[1])
    }

    /// Archives carry payload and details; restored into a fresh store they read back equal, once.
    public func archivesRestoreIntoAnotherStoreUnchanged() async throws {
        let (source, database, vpn) = try await populated()
        let exported = try await source.archives(vendor: nil)
        #expect(Set(exported.map(\.detail.incident.id)) == [database, vpn])
        let archive = try #require(exported.first { $0.detail.incident.id == database })
        #expect(archive.payload.body == #"{"title":"x"}"#)
        #expect(archive.payload.source == "generic")
        #expect(archive.payload.contentType == "application/json")
        #expect(archive.payload.receivedAt == t0)
        #expect(archive.detail == (try await detail(source, database)))
        #expect(archive.detail.deliveries.first?.attempts.map(\.httpStatus) == [503, 201])
        #expect(archive.detail.deliveries.first?.status == "delivered")
        #expect(archive.detail.timers.map(\.kind) == [.acknowledge, .resolve])
        #expect(archive.detail.events.map(\.kind) == ["received", "triaged", "delivered", "resolved"])
        let target = try await makeStore()
        #expect(try await target.restore(exported) == 2)
        #expect(try await target.restore(exported) == 0)  // already there: skipped
        #expect(try await target.archives(vendor: nil) == exported)
        for id in [database, vpn] {
            #expect(try await target.incident(id) == (try await source.incident(id)))
        }
        // One vendor's share only.
        #expect(try await source.archives(vendor: "globex").map(\.detail.incident.id) == [vpn])
        #expect(try await target.archives(vendor: "acme").map(\.detail.incident.id) == [database])
    }
}
