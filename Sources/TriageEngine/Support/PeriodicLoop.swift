import Logging

/// The loop of services that work on a timetable rather than a queue (store gauges, retention):
/// run once at once, then every `interval` of the clock, until the task is cancelled. A failed
/// round is logged (unless it failed because of shutdown) and the next one comes on time.
enum PeriodicLoop {
    static func run(
        every interval: @autoclosure () -> Duration, clock: some TriageClock, logger: Logger, failure: String,
        _ round: () async throws -> Void
    ) async {
        while !Task.isCancelled {
            do {
                try await round()
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.error("\(failure)", metadata: ["error": "\(error)"])
            }
            do {
                try await clock.sleep(for: interval())
            } catch {
                return
            }
        }
    }
}
