import Foundation
import Synchronization
import Testing
import TriageCore
import TriageEngine
import TriageStorePostgres
import TriageStoreSQLite
import TriageTesting

/// The PostgreSQL store passes the same behavioural suite as SQLite, and `triage migrate`'s copy
/// carries a SQLite store over whole.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresConformanceTests {
    @Test func passesTheStoreConformanceSuite() async throws {
        let stores = StoreList()
        defer { stores.closeAll() }
        do {
            try await StoreConformance {
                let store = try await PostgresTestDatabase.fresh()
                stores.add(store)
                return store
            }.run()
        } catch {
            // postgres-nio's description hides the server's message; a test database has no secrets.
            Issue.record("\(String(reflecting: error))")
        }
    }

    @Test func aSQLiteStoreIsCopiedWholeAndReadsTheSame() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqlite = try SQLiteStore(path: directory.path("source.sqlite"))
        let ids = try await MigrationFixture.fill(sqlite)
        let target = try await PostgresTestDatabase.fresh()
        defer { target.close() }
        let copied = try await target.copy(from: { each in try await sqlite.copyTables(batchSize: 7, each) })
        #expect(copied == (try await sqlite.rowCounts()))
        #expect((copied["incident"] ?? 0) == ids.count)
        for id in ids {
            let before = try await sqlite.incident(id)
            let after = try await target.incident(id)
            #expect(after == before, "incident \(id) reads differently after the copy")
        }
        // New rows after the copy do not collide with copied ids.
        let raw = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: MigrationFixture.t0)
        let more = try await target.accept([IncidentDraft(source: "generic", dedupKey: "after", title: "after", severity: .error)], raw: raw)
        #expect(more.map(\.outcome) == [.created])
        // And a second copy into a database with data is refused.
        await #expect(throws: PostgresStore.CopyError.self) {
            _ = try await target.copy(from: { each in try await sqlite.copyTables(each) })
        }
    }
}

/// Stores opened during a test, closed at its end.
final class StoreList: Sendable {
    private let stores = Mutex<[PostgresStore]>([])

    func add(_ store: PostgresStore) {
        stores.withLock { $0.append(store) }
    }

    func closeAll() {
        stores.withLock { for store in $0 { store.close() } }
    }
}

/// A store with some of everything: incidents dispatched with running clocks, triaged without a
/// vendor, delivered, acknowledged by the vendor, resolved; a rejected payload and a model.
enum MigrationFixture {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static let terms = SLASnapshot(
        source: "contract 'acme'", vendor: "acme", priority: .p2, acknowledge: .seconds(900), resolve: .seconds(14_400),
        ladder: "standard", steps: [EscalationStep(trigger: .percent(50), actions: [.notify("vendor")])])

    /// Fills `store`; returns the ids of its incidents.
    static func fill(_ store: some TriageStore) async throws -> [IncidentID] {
        var ids: [IncidentID] = []
        for n in 0..<25 {
            let raw = RawPayload(
                source: "generic", contentType: "application/json", body: Array("{\"n\": \(n)}".utf8),
                receivedAt: t0.addingTimeInterval(Double(n) * 60), deliveryID: "delivery-\(n)")
            let draft = IncidentDraft(
                source: "generic", dedupKey: "k\(n)", title: "Incident \(n)", description: "body \(n)", severity: .error,
                labels: ["n": "\(n)"], service: n % 2 == 0 ? "billing" : nil)
            ids.append(try #require(try await store.accept([draft], raw: raw).first).id)
        }
        let now = t0.addingTimeInterval(3_600)
        for item in try await store.claim(limit: 100, owner: "worker", now: now, lease: .seconds(60)) {
            let dispatched = item.incident.service != nil
            let decision = Decision(
                incidentID: item.incident.id, decidedAt: now, category: "database", priority: .p2,
                vendor: dispatched ? "acme" : nil, abstained: !dispatched, matchedRules: ["r1"], sla: nil,
                explanation: ["fixture"])
            try await store.complete(
                item, decision: decision,
                outbox: dispatched
                    ? [NewOutboxMessage(id: "\(item.incident.id.rawValue)-1", vendor: "acme", endpoint: "http://127.0.0.1:1/acme", body: Array("{}".utf8))]
                    : [],
                clock: dispatched ? SLAClockStart(snapshot: terms, startedAt: now) : nil, now: now)
        }
        for message in try await store.claimDue(limit: 5, owner: "dispatcher", now: now, lease: .seconds(60)) {
            var attempt = DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 12, httpStatus: 201, failure: nil)
            attempt.externalRef = "ACME-\(message.id.prefix(4))"
            try await store.record(attempt, for: message, then: .delivered(at: now))
        }
        _ = try await store.apply(
            LifecycleRequest(incidentID: ids[0], action: .acknowledge, sender: "vendor:acme", eventID: "e-1", actor: "jane", at: now))
        let resolve = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: now.addingTimeInterval(60))
        _ = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "k2", title: "Incident 2", severity: .error, action: .resolve)], raw: resolve)
        try await store.recordRejected(
            RejectedPayload(raw: resolve, status: 400, reason: "fixture: not JSON"), keep: 10)
        try await store.saveModel(StoredModel(name: "category", body: Array("model".utf8), trainedAt: now, examples: 3))
        return ids
    }
}
