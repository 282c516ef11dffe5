import Logging

/// The loop every queue-draining service runs: do a batch; when it found nothing, wait for the
/// doorbell or the idle timeout. Ends when the task is cancelled (graceful shutdown cancels it).
enum PollingLoop {
    static func run(
        doorbell: Doorbell,
        idle: Duration,
        clock: some TriageClock,
        logger: Logger,
        what: String,
        _ batch: () async throws -> Int
    ) async {
        while !Task.isCancelled {
            let processed: Int
            do {
                processed = try await batch()
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(what) batch failed", metadata: ["error": "\(error)"])
                processed = 0
            }
            if processed == 0 { await doorbell.wait(upTo: idle, clock: clock) }
        }
    }
}
