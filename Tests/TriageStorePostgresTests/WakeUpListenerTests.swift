import Foundation
import Logging
import ServiceLifecycle
import Testing
import TriageCore
import TriageEngine
import TriageStorePostgres
import TriageTesting

/// LISTEN/NOTIFY: work committed by one instance wakes the idle loops of another.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct WakeUpListenerTests {
    /// Waits for `bell` on a clock that never moves, so only a ring ends the wait; fails after
    /// 20 s of real time instead of hanging.
    func rung(_ bell: Doorbell) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await bell.wait(upTo: .seconds(86_400), clock: TestClock())
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test func anIncidentAcceptedElsewhereRingsTheWorkBellHere() async throws {
        let settings = try await PostgresTestDatabase.freshSettings()
        let receiver = try await PostgresStore.open(settings)
        let worker = try await PostgresStore.open(settings)
        defer {
            receiver.close()
            worker.close()
        }
        let bells = WakeUpBells(work: Doorbell(), outbox: Doorbell(), timers: Doorbell())
        let listener = WakeUpListener(store: worker, bells: bells, logger: Logger(label: "test"))
        let running = Task { try await listener.run() }
        defer { running.cancel() }
        // The listener rings each bell once it listens (covering what was committed before).
        #expect(await rung(bells.work))
        try await Task.sleep(for: .milliseconds(200))

        let raw = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: Date(timeIntervalSince1970: 1_790_000_000))
        let waiting = Task { await rung(bells.work) }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await receiver.accept(
            [IncidentDraft(source: "generic", dedupKey: "wake", title: "Wake up", severity: .error)], raw: raw)
        #expect(await waiting.value, "the work bell did not ring after another instance queued an incident")

        // A repeat of an open incident queues nothing: no ring for the worker.
        let quiet = Task { await rung(bells.work) }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await receiver.accept(
            [IncidentDraft(source: "generic", dedupKey: "wake", title: "Wake up", severity: .error)], raw: raw)
        try await Task.sleep(for: .seconds(1))
        quiet.cancel()
        #expect(await quiet.value == false)
    }
}
