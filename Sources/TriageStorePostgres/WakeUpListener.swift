import Logging
import PostgresNIO
import ServiceLifecycle
import TriageEngine

/// Rings this process's doorbells when another instance commits work: transactions that queue
/// an incident, an outbox message or a timer send `NOTIFY triage_work|triage_outbox|triage_timers`,
/// delivered at commit. Idle loops therefore start at once instead of at their next poll.
/// Polling stays the fallback: a notification lost while the connection was down costs one poll
/// interval, never work. The listener reconnects with a back-off after a failure.
public struct WakeUpListener: Service {
    let store: PostgresStore
    let bells: WakeUpBells
    let logger: Logger

    public init(store: PostgresStore, bells: WakeUpBells, logger: Logger) {
        self.store = store
        self.bells = bells
        self.logger = logger
    }

    /// The channels and the bell each rings.
    var channels: [(String, Doorbell)] {
        [("triage_work", bells.work), ("triage_outbox", bells.outbox), ("triage_timers", bells.timers)]
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    try await listenOnce()
                } catch {
                    if Task.isCancelled { return }
                    // A connection that held for a while was healthy: start the back-off again.
                    failures = ContinuousClock.now - started > .seconds(30) ? 1 : failures + 1
                    logger.warning(
                        "LISTEN connection lost; polling until it is back",
                        metadata: ["error": "\(String(reflecting: error).prefix(300))", "attempt": "\(failures)"])
                }
                try? await Task.sleep(for: .milliseconds(min(200 * (1 << min(failures, 5)), 5_000)))
            }
        }
    }

    /// Holds one pooled connection, listening on every channel until it fails or the task ends.
    func listenOnce() async throws {
        try await store.client.withConnection { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (channel, bell) in channels {
                    group.addTask {
                        try await connection.listen(on: channel) { notifications in
                            // Listening now: whatever was committed before is looked at once.
                            bell.ring()
                            for try await _ in notifications { bell.ring() }
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
