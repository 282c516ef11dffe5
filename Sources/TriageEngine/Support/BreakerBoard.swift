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

    /// Records an attempt's outcome; returns whether the breaker is now open. Sets
    /// `triage_circuit_open{vendor}` (1 while open or half-open) and counts each time the breaker
    /// opens, first or again after a failed probe, in `triage_circuit_opened_total{vendor}`.
    @discardableResult
    public func record(_ endpoint: String, vendor: String, failure: DeliveryFailure?, now: Date) -> Bool {
        let (open, opened) = breakers.withLock { breakers in
            var breaker = breakers[endpoint] ?? CircuitBreaker(threshold: threshold, cooldown: cooldown)
            let before = breaker.state
            breaker.record(failure, now: now)
            breakers[endpoint] = breaker
            var opened = false
            if case .open = breaker.state {
                if case .open = before {} else { opened = true }
            }
            return (breaker.isOpen, opened)
        }
        Gauge(label: "triage_circuit_open", dimensions: [("vendor", vendor)]).record(open ? 1 : 0)
        if opened { Counter(label: "triage_circuit_opened_total", dimensions: [("vendor", vendor)]).increment() }
        return open
    }

    public func isOpen(_ endpoint: String) -> Bool {
        breakers.withLock { $0[endpoint]?.isOpen ?? false }
    }
}
