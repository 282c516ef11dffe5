import Foundation
import Metrics
import Synchronization
import TriageCore

/// The circuit breakers of every endpoint the dispatcher talks to, shared by its deliveries.
public final class BreakerBoard: Sendable {
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    let threshold: Int
    let cooldown: TimeInterval

    public init(threshold: Int = 5, cooldown: TimeInterval = 30) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    public func verdict(_ endpoint: String, now: Date) -> CircuitBreaker.Verdict {
        breakers.withLock { breakers in
            var breaker = breakers[endpoint] ?? CircuitBreaker(threshold: threshold, cooldown: cooldown)
            let verdict = breaker.verdict(now: now)
            breakers[endpoint] = breaker
            return verdict
        }
    }

    /// Records an attempt's outcome; returns whether the breaker is now open.
    @discardableResult
    public func record(_ endpoint: String, vendor: String, failure: DeliveryFailure?, now: Date) -> Bool {
        let open = breakers.withLock { breakers in
            var breaker = breakers[endpoint] ?? CircuitBreaker(threshold: threshold, cooldown: cooldown)
            breaker.record(failure, now: now)
            breakers[endpoint] = breaker
            return breaker.isOpen
        }
        Gauge(label: "triage_circuit_open", dimensions: [("vendor", vendor)]).record(open ? 1 : 0)
        return open
    }

    public func isOpen(_ endpoint: String) -> Bool {
        breakers.withLock { $0[endpoint]?.isOpen ?? false }
    }
}
