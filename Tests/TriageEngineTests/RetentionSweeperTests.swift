import Foundation
import Logging
import Synchronization
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// The retention Service on a test clock: kinds in order, bounded batches, one audit entry per
/// sweep that purged something (counts only), a sweep every `check_every`, and a SQLite file that
/// shrinks once closed incidents are purged. No sleeping.
struct RetentionSweeperTests {
    let logger = Logger(label: "test")
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// A store with `due` rows left per kind, purging up to the limit per call; it can fail on a kind.
    final class ScriptedStore: RetentionStore {
        struct Call: Equatable {
            var kind: RetentionKind
            var cutoffs: RetentionCutoffs
            var limit: Int
        }

        let state: Mutex<(due: [RetentionKind: Int], calls: [Call], reclaims: Int, failOn: RetentionKind?)>

        init(due: [RetentionKind: Int], failOn: RetentionKind? = nil) {
            state = Mutex((due, [], 0, failOn))
        }

        var calls: [Call] { state.withLock { $0.calls } }
        var reclaims: Int { state.withLock { $0.reclaims } }

        func add(_ kind: RetentionKind, _ count: Int) { state.withLock { $0.due[kind, default: 0] += count } }

        func retentionDue(
            _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction
        ) async throws -> Int {
            state.withLock { $0.due[kind] ?? 0 }
        }

        func purgeDue(
            _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction, limit: Int,
            now: Date
        ) async throws -> Int {
            try state.withLock { state in
                state.calls.append(Call(kind: kind, cutoffs: cutoffs, limit: limit))
                if state.failOn == kind { throw StoreDown() }
                let purged = min(limit, state.due[kind] ?? 0)
                state.due[kind] = (state.due[kind] ?? 0) - purged
                return purged
            }
        }

        func reclaimSpace() async throws { state.withLock { $0.reclaims += 1 } }
    }

    struct StoreDown: Error {}

    /// A test clock whose sleepers say when they start sleeping, with their deadline fixed then
    /// (so advancing the clock right after the signal cannot be missed).
    final class SignallingClock: TriageClock {
        let base: TestClock
        let sleeps: AsyncStream<Duration>
        let continuation: AsyncStream<Duration>.Continuation

        init(base: TestClock) {
            self.base = base
            (sleeps, continuation) = AsyncStream.makeStream()
        }

        func now() -> Date { base.now() }

        func sleep(for duration: Duration) async throws {
            let deadline = base.now().addingTimeInterval(duration.timeInterval)
            continuation.yield(duration)
            while base.now() < deadline {
                try await base.sleep(for: .seconds(deadline.timeIntervalSince(base.now())))
            }
        }
    }

    func policy(_ action: RetentionPolicy.ClosedIncidentAction = .purge) -> RetentionPolicy {
        RetentionPolicy(
            checkEvery: .seconds(3600),
            defaults: .init(closedIncidents: .seconds(400 * 86_400), deliveredMessages: .seconds(7 * 86_400)),
            closedIncidentAction: action,
            overrides: [.init(vendor: "acme", ages: .init(closedIncidents: .seconds(90 * 86_400)))])
    }

    func auditStore(_ directory: TemporaryDirectory) throws -> SQLiteStore {
        try SQLiteStore(path: directory.path("audit.sqlite"))
    }

    @Test func aSweepPurgesKindByKindInBoundedBatchesAndAuditsTheCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = try auditStore(directory)
        let store = ScriptedStore(due: [.closedIncidents: 1200, .deliveredMessages: 10, .rawPayloads: 5])
        let clock = TestClock(now: start)
        let sweeper = RetentionSweeper(store: store, audit: audit, policy: policy(), clock: clock, logger: logger)
        let sweep = try await sweeper.sweep()
        #expect(sweep.purged.map(\.what) == ["closed_incidents", "delivered_messages"])
        #expect(sweep.purged.map(\.count) == [1200, 10])
        #expect(sweep.total == 1210)
        #expect(sweep["raw_payloads"] == 0)
        // Kinds without an age are never asked; each batch is at most 500 rows, taken until fewer come back.
        #expect(store.calls.map(\.kind) == [.closedIncidents, .closedIncidents, .closedIncidents, .deliveredMessages])
        #expect(store.calls.allSatisfy { $0.limit == 500 })
        #expect(store.calls.first?.cutoffs == policy().cutoffs(.closedIncidents, now: start))
        #expect(store.calls.last?.cutoffs == policy().cutoffs(.deliveredMessages, now: start))
        #expect(store.reclaims == 1)
        let trail = try await audit.auditTrail(limit: 10)
        #expect(trail.count == 1)
        #expect(trail.first?.actor == "retention")
        #expect(trail.first?.action == "retention purge")
        #expect(trail.first?.detail == "closed_incidents=1200 delivered_messages=10")
        #expect(trail.first?.at == start)
    }

    @Test func aSweepWithNothingDueLeavesNoTrace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = try auditStore(directory)
        let store = ScriptedStore(due: [:])
        let sweeper = RetentionSweeper(store: store, audit: audit, policy: policy(), clock: TestClock(now: start), logger: logger)
        #expect(try await sweeper.sweep().purged.isEmpty)
        #expect(store.calls.count == 2)
        #expect(store.reclaims == 0)
        #expect(try await audit.auditTrail(limit: 10).isEmpty)
    }

    @Test func redactedIncidentsAreCountedAsSuch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = ScriptedStore(due: [.closedIncidents: 7])
        let sweeper = RetentionSweeper(
            store: store, audit: try auditStore(directory), policy: policy(.redact), clock: TestClock(now: start),
            configuration: .init(batchSize: 5), logger: logger)
        let sweep = try await sweeper.sweep()
        #expect(sweep.summary == "redacted_incidents=7")
        #expect(store.calls.map(\.limit) == [5, 5, 5])
    }

    @Test func aFailedSweepStillAuditsWhatItPurged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = try auditStore(directory)
        let store = ScriptedStore(due: [.closedIncidents: 3, .deliveredMessages: 4], failOn: .deliveredMessages)
        let sweeper = RetentionSweeper(store: store, audit: audit, policy: policy(), clock: TestClock(now: start), logger: logger)
        await #expect(throws: StoreDown.self) { try await sweeper.sweep() }
        #expect(try await audit.auditTrail(limit: 10).map(\.detail) == ["closed_incidents=3"])
    }

    @Test func theServiceSweepsAtStartThenEveryCheckEvery() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = try auditStore(directory)
        let store = ScriptedStore(due: [.closedIncidents: 3])
        let clock = SignallingClock(base: TestClock(now: start))
        let sweeper = RetentionSweeper(store: store, audit: audit, policy: policy(), clock: clock, logger: logger)
        let running = Task { try await sweeper.run() }
        var sleeps = clock.sleeps.makeAsyncIterator()
        #expect(await sleeps.next() == .seconds(3600))
        #expect(store.calls.count == 2)
        #expect(try await audit.auditTrail(limit: 10).map(\.detail) == ["closed_incidents=3"])
        store.add(.closedIncidents, 2)
        clock.base.advance(by: .seconds(3599))
        for _ in 0..<100 { await Task.yield() }
        #expect(store.calls.count == 2, "swept before check_every had passed")
        clock.base.advance(by: .seconds(1))
        #expect(await sleeps.next() == .seconds(3600))
        #expect(store.calls.count == 4)
        #expect(try await audit.auditTrail(limit: 10).map(\.detail) == ["closed_incidents=2", "closed_incidents=3"])
        #expect(try await audit.auditTrail(limit: 10).first?.at == start + 3600)
        running.cancel()
        _ = await running.result
    }

    /// Closed incidents purged from a real SQLite file, then the incremental vacuum: the file
    /// shrinks, and the same load again reuses the space instead of growing the file.
    @Test func theSQLiteFileShrinksAfterAPurgeAndStopsGrowing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("t.sqlite")
        let store = try SQLiteStore(path: path, durability: .normal)
        let clock = TestClock(now: start)
        let policy = RetentionPolicy(defaults: .init(closedIncidents: .seconds(86_400)))
        let sweeper = RetentionSweeper(store: store, audit: store, policy: policy, clock: clock, logger: logger)
        let text = String(repeating: "disk full on the payroll host, see the attached log; ", count: 40)
        func load(_ round: Int) async throws {
            for batch in 0..<40 {
                let drafts = (0..<50).map { n in
                    IncidentDraft(
                        source: "generic", dedupKey: "r\(round)-\(batch)-\(n)", title: "Incident \(n)", description: text,
                        severity: .error, action: .resolve)
                }
                let raw = RawPayload(
                    source: "generic", contentType: nil, body: Array((text + text).utf8), receivedAt: clock.now())
                _ = try await store.accept(drafts, raw: raw)
            }
        }
        func size() async throws -> Int {
            try await store.reclaimSpace()
            return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        try await load(1)
        let full = try await size()
        clock.advance(by: .seconds(2 * 86_400))
        #expect(try await sweeper.sweep()["closed_incidents"] == 2000)
        let purged = try await size()
        try await load(2)
        let again = try await size()
        print("retention: sqlite file \(full / 1024) KiB with 2000 closed incidents, \(purged / 1024) KiB after purge and incremental vacuum, \(again / 1024) KiB with 2000 new ones")
        #expect(purged < full / 4, "the file did not shrink")
        #expect(again <= full + full / 10, "the file grew instead of reusing the space")
        #expect(try await store.counts()["incident"] == 2000)
    }
}
