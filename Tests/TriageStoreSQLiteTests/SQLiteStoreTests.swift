import Foundation
import Synchronization
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

struct SQLiteStoreTests {
    @Test func passesTheStoreConformanceSuite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let counter = Counter()
        try await StoreConformance {
            try SQLiteStore(path: directory.path("store-\(counter.next()).sqlite"))
        }.run()
    }

    @Test func runsInWALWithFullSync() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("nested/dir/t.sqlite"))
        let settings = try store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)  // FULL
        #expect(
            try store.appliedMigrations() == [
                "v1-foundation", "v2-ingest", "v3-models", "v4-vendor-stats", "v5-outbox-dropped", "v6-outbox-method",
                "v7-sla-clocks", "v8-lifecycle", "v9-incident-list", "v10-admin", "v11-audit-chain", "v12-retention",
                "v13-outbox-order",
            ])
    }

    @Test func normalDurabilityIsAnOption() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("n.sqlite"), durability: .normal)
        #expect(try store.durabilitySettings().synchronous == 1)  // NORMAL
    }

    @Test func acceptedIncidentsSurviveReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("t.sqlite")
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let raw = RawPayload(source: "generic", contentType: nil, body: Array(#"{"title":"t"}"#.utf8), receivedAt: now)
        var accepted: [AcceptedIncident] = []
        do {
            let store = try SQLiteStore(path: path)
            accepted = try await store.accept([IncidentDraft(source: "generic", title: "t")], raw: raw)
            try await store.recordRejected(raw, reason: "bad")
        }
        let reopened = try SQLiteStore(path: path)
        let detail = try #require(try await reopened.incident(accepted[0].id))
        #expect(detail.queueState == "queued")
        let counts = try await reopened.counts()
        #expect(counts["incident"] == 1)
        #expect(counts["rawPayload"] == 1)
        #expect(counts["rejectedPayload"] == 1)
        #expect(try await reopened.claim(limit: 5, owner: "w", now: now, lease: .seconds(10)).count == 1)
    }

    @Test func unwritableLocationFailsWithAnError() {
        #expect(throws: (any Error).self) {
            _ = try SQLiteStore(path: "/proc/triage-cannot-write-here/t.sqlite")
        }
    }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

