import Foundation
import Logging
import ServiceLifecycle
import TriageCore
import TriageEngine

/// Fills the duplicate finder with the open incidents of the window at start-up, then waits.
struct DuplicateIndexLoader<Clock: TriageClock>: Service {
    let finder: DuplicateFinder
    let store: any ModelStore
    let clock: Clock
    let logger: Logger

    func run() async throws {
        let since = clock.now().addingTimeInterval(-finder.settings.window)
        do {
            finder.load(try await store.openIncidents(since: since))
            logger.info("duplicate index loaded", metadata: ["open_incidents": "\(finder.count)"])
        } catch {
            logger.error("duplicate index not loaded; starting empty", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }
}
