import Foundation
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting
@testable import TriageStorePostgres

/// Intake on PostgreSQL: receivers taking the same alert at once make one incident, a delivery id
/// is stored once, and what a draft does matches the SQLite store event for event.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresIntakeTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func concurrentTriggersOfOneAlertMakeOneIncident() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        // A second store on the same database plays a second receiver.
        let other = try await PostgresStore.open(store.settings)
        defer { other.close() }
        let outcomes = try await withThrowingTaskGroup(of: [AcceptedIncident].self) { group in
            for index in 0..<50 {
                let receiver = index.isMultiple(of: 2) ? store : other
                let payload = raw(at: t0.addingTimeInterval(Double(index) / 100))
                group.addTask {
                    try await receiver.accept(
                        [IncidentDraft(source: "generic", dedupKey: "disk-full", title: "Disk full", severity: .error)],
                        raw: payload)
                }
            }
            var all: [AcceptedIncident] = []
            for try await accepted in group { all += accepted }
            return all
        }
        #expect(outcomes.count == 50)
        #expect(outcomes.filter { $0.outcome == .created }.count == 1)
        #expect(outcomes.filter { $0.outcome == .deduplicated }.count == 49)
        #expect(Set(outcomes.map(\.id)).count == 1)
        let incidents = try await store.incidents(source: "generic")
        #expect(incidents.count == 1)
        #expect(incidents.first?.occurrences == 50)
        let counts = try await store.counts()
        #expect(counts["workItem"] == 1)
        #expect(counts["rawPayload"] == 50)
        let id = try #require(incidents.first?.id)
        let events = try #require(try await store.incident(id)).events.map(\.kind)
        #expect(events.filter { $0 == "received" }.count == 1)
        #expect(events.filter { $0 == "refired" }.count == 49)
    }

    @Test func concurrentUpdatesOfOneIncidentAllApply() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let other = try await PostgresStore.open(store.settings)
        defer { other.close() }
        let created = try await store.accept([IncidentDraft(source: "generic", dedupKey: "vpn", title: "VPN slow")], raw: raw())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                let receiver = index.isMultiple(of: 2) ? store : other
                let payload = raw(at: t0 + 1)
                group.addTask {
                    _ = try await receiver.accept(
                        [IncidentDraft(source: "generic", dedupKey: "vpn", title: "vpn", labels: ["k\(index)": "v"], action: .update)],
                        raw: payload)
                }
            }
            try await group.waitForAll()
        }
        let incident = try #require(try await store.incident(created[0].id)).incident
        // Each update merged its label over the locked row: none was lost to a concurrent one.
        #expect(incident.labels.count == 30)
        #expect(incident.title == "VPN slow")
    }

    @Test func concurrentReplaysOfOneDeliveryAreStoredOnce() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let other = try await PostgresStore.open(store.settings)
        defer { other.close() }
        let receipts = try await withThrowingTaskGroup(of: IntakeReceipt.self) { group in
            for index in 0..<20 {
                let receiver = index.isMultiple(of: 2) ? store : other
                let payload = raw(delivery: "d-1", source: "github")
                group.addTask {
                    try await receiver.accept(Intake(drafts: [IncidentDraft(source: "github", title: "Push failed")], raw: payload))
                }
            }
            var all: [IntakeReceipt] = []
            for try await receipt in group { all.append(receipt) }
            return all
        }
        #expect(receipts.filter { !$0.replayedDelivery }.count == 1)
        #expect(receipts.filter(\.replayedDelivery).allSatisfy { $0.incidents.isEmpty })
        let counts = try await store.counts()
        #expect(counts["rawPayload"] == 1)
        #expect(counts["incident"] == 1)
        #expect(counts["webhookDelivery"] == 1)
        // Delivery ids are forgotten after a week: a later intake prunes them.
        let later = t0 + 8 * 86_400
        _ = try await store.accept(Intake(drafts: [], raw: raw(at: later, delivery: "d-2", source: "github")))
        #expect(try await store.counts()["webhookDelivery"] == 1)
        let again = try await store.accept(Intake(drafts: [], raw: raw(at: later, delivery: "d-1", source: "github")))
        #expect(!again.replayedDelivery)
    }

    @Test func lifecycleMatchesTheSQLiteStoreEventForEvent() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqlite = try SQLiteStore(path: directory.path("reference.sqlite"))
        let script: [(IncidentDraft, TimeInterval)] = [
            (IncidentDraft(source: "generic", dedupKey: "db", title: "DB down", severity: .error, labels: ["env": "prod"], service: "billing"), 0),
            (IncidentDraft(source: "generic", dedupKey: "db", title: "DB down", severity: .critical), 10),
            (IncidentDraft(source: "generic", dedupKey: "db", title: "db", labels: ["status": "investigating"], action: .update), 20),
            (IncidentDraft(source: "generic", dedupKey: "db", title: "DB down", action: .acknowledge), 30),
            (IncidentDraft(source: "generic", dedupKey: "db", title: "DB down", action: .resolve), 40),
            (IncidentDraft(source: "generic", dedupKey: "db", title: "DB down"), 50),
            (IncidentDraft(source: "generic", dedupKey: "gone", title: "Gone", action: .resolve), 60),
            (IncidentDraft(source: "generic", dedupKey: "gone", title: "Gone", action: .update), 70),
            (IncidentDraft(source: "generic", dedupKey: "fresh", title: "Fresh", action: .acknowledge), 80),
        ]
        var pgOutcomes: [AcceptedIncident] = []
        var sqliteOutcomes: [AcceptedIncident] = []
        for (draft, offset) in script {
            pgOutcomes += try await store.accept([draft], raw: raw(at: t0 + offset))
            sqliteOutcomes += try await sqlite.accept([draft], raw: raw(at: t0 + offset))
        }
        #expect(pgOutcomes.map(\.outcome) == sqliteOutcomes.map(\.outcome))
        #expect(pgOutcomes.map(\.outcome) == [.created, .deduplicated, .updated, .acknowledged, .resolved, .reopened, .storedResolved, .ignored, .created])
        for (pg, reference) in zip(pgOutcomes, sqliteOutcomes) {
            var detail = try #require(try await store.incident(pg.id))
            let expected = try #require(try await sqlite.incident(reference.id))
            detail.incident.id = expected.incident.id
            #expect(detail == expected)
        }
        let db = try #require(try await store.incident(pgOutcomes[0].id))
        #expect(db.queueState == "queued")
        #expect(db.incident.occurrences == 3)
        #expect(db.incident.labels == ["env": "prod", "status": "investigating"])
        #expect(db.events.map(\.kind) == ["received", "refired", "updated", "acknowledged", "resolved", "reopened"])
        var generator = SystemRandomNumberGenerator()
        #expect(try await store.incident(IncidentID(now: t0, using: &generator)) == nil)
    }

    @Test func rejectedPayloadsArePrunedToKeep() async throws {
        let store = try await PostgresTestDatabase.fresh()
        defer { store.close() }
        for index in 0..<5 {
            let payload = RawPayload(
                source: index.isMultiple(of: 2) ? "a" : "b", contentType: "text/plain", body: Array("body-\(index)".utf8),
                receivedAt: t0 + Double(index))
            try await store.recordRejected(RejectedPayload(raw: payload, status: 422, reason: "bad \(index)", maxBodyBytes: 6), keep: 3)
        }
        let kept = try await store.rejectedPayloads(source: nil, limit: 10)
        #expect(kept.map(\.reason) == ["bad 4", "bad 3", "bad 2"])
        #expect(kept.first?.body == "body-4")
        #expect(kept.first?.truncated == false)
        #expect(kept.first?.status == 422)
        #expect(kept.first?.receivedAt == t0 + 4)
        #expect(try await store.rejectedPayloads(source: "a", limit: 10).map(\.reason) == ["bad 4", "bad 2"])
        #expect(try await store.rejectedPayloads(source: nil, limit: 1).count == 1)
        let long = RawPayload(source: "a", contentType: nil, body: Array("0123456789".utf8), receivedAt: t0)
        try await store.recordRejected(RejectedPayload(raw: long, status: 413, reason: "too big", maxBodyBytes: 4), keep: 3)
        let truncated = try #require(try await store.rejectedPayloads(source: "a", limit: 1).first)
        #expect(truncated.body == "0123" && truncated.truncated && truncated.bodyBytes == 10 && truncated.contentType == nil)
        #expect(try await store.counts()["rejectedPayload"] == 3)
    }

    @Test func archivesRestoreIntoAnotherDatabaseUnchanged() async throws {
        let source = try await PostgresTestDatabase.fresh()
        defer { source.close() }
        try await populate(source)
        let exported = try await source.archives(vendor: nil)
        #expect(exported.count == 2)
        let database = try #require(exported.first { $0.detail.incident.title == "Database down" })
        #expect(database.detail.deliveries.first?.attempts.first?.httpStatus == 503)
        #expect(database.detail.events.map(\.kind).first == "received")
        #expect(database.payload.body == #"{"title":"x"}"#)
        let target = try await PostgresTestDatabase.fresh()
        defer { target.close() }
        #expect(try await target.restore(exported) == 2)
        #expect(try await target.restore(exported) == 0)  // already there: skipped
        #expect(try await target.archives(vendor: nil) == exported)
        for archive in exported {
            #expect(try await target.incident(archive.detail.incident.id) == archive.detail)
        }
        #expect(try await source.archives(vendor: "globex").map(\.detail.incident.title) == ["VPN slow"])
        // Raw payload ids go on after the restored ones.
        let next = try await target.accept([IncidentDraft(source: "generic", dedupKey: "c", title: "New")], raw: raw(at: t0 + 9000))
        let stored = try #require(try await target.incident(next[0].id)).incident
        #expect(stored.rawPayloadID > exported.map(\.payload.id).max() ?? 0)
    }

    /// Two incidents: one assigned to acme, delivered after a failed attempt, then resolved; one
    /// assigned to globex, still open.
    func populate(_ store: PostgresStore) async throws {
        let body = RawPayload(source: "generic", contentType: "application/json", body: Array(#"{"title":"x"}"#.utf8), receivedAt: t0)
        _ = try await store.accept(
            [
                IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", severity: .critical, service: "Billing"),
                IncidentDraft(source: "generic", dedupKey: "b", title: "VPN slow", severity: .warning, labels: ["site": "lyon"]),
            ], raw: body)
        for item in try await store.claim(limit: 10, owner: "w", now: t0, lease: .seconds(60)) {
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
        let acme = try #require(messages.first { $0.vendor == "acme" })
        try await store.record(
            DeliveryAttempt(
                number: 1, startedAt: t0, durationMilliseconds: 12, httpStatus: 503,
                failure: DeliveryFailure(reason: .serverError, status: 503, message: "HTTP 503")),
            for: acme, then: .retry(at: t0 + 5))
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "a", title: "Database down", action: .resolve)], raw: raw(at: t0 + 1800))
    }

    func raw(at: Date? = nil, delivery: String? = nil, source: String = "generic") -> RawPayload {
        RawPayload(source: source, contentType: "application/json", body: Array("{}".utf8), receivedAt: at ?? t0, deliveryID: delivery)
    }
}
