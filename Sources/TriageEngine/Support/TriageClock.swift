import Foundation

/// The time source services use. Core logic never reads a clock; services read this one and pass
/// `now` down, so tests drive time with a manual clock instead of sleeping.
public protocol TriageClock: Sendable {
    /// The current instant.
    func now() -> Date
    /// Suspends for `duration` of this clock's time; throws `CancellationError` when cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real wall clock.
public struct SystemClock: TriageClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
