import Foundation
import NIOPosix
import TriageCurl
import TriageStoreSQLite

/// Kills the service at random moments and restarts it. After each restart it waits a random
/// 0.3–2 s (seeded), then aims at one stage in turn (ingest, triage, delivery, timers): it watches
/// the process's counters over 100 ms windows, for up to ``CrashScale/aimFor``, until that stage is
/// under way (its counter moved and work is still pending), and sends SIGKILL at once.
struct CrashKiller {
    let server: CrashServer
    let ledger: CrashLedger
    let store: SQLiteStore
    let scale: CrashScale
    let port: Int

    /// One kill: the stage aimed at, the stages under way and those with pending work at that moment.
    struct Kill: Sendable {
        var aim: CrashStage
        var active: Set<CrashStage>
        var pending: Set<CrashStage>
        var delay: Double
    }

    /// Kills and restarts `scale.kills` times; returns what each kill found.
    func run() async throws -> [Kill] {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        defer { threads.shutdownGracefully { _ in } }
        let activity = CrashActivity(port: port, client: CurlHTTPClient(threadPool: threads, maxIdleHandles: 1))
        var random = CrashRandom(seed: scale.seed)
        var kills: [Kill] = []
        for index in 0..<scale.kills {
            let delay = Double.random(in: scale.delay, using: &random)
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            let aim = CrashStage.allCases[index % CrashStage.allCases.count]
            let deadline = ContinuousClock.now + scale.aimFor
            var active: Set<CrashStage> = []
            var pending: Set<CrashStage> = []
            repeat {
                let moving = try await activity.moving(over: .milliseconds(100))
                pending = try await CrashStage.pending(ledger: ledger, store: store)
                active = moving.intersection(pending)
            } while !active.contains(aim) && ContinuousClock.now < deadline
            try await server.kill()
            kills.append(Kill(aim: aim, active: active, pending: pending, delay: delay))
            try await server.start()
        }
        return kills
    }
}
