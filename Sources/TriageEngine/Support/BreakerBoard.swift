import Foundation
import Metrics
import Synchronization
import TriageCore

/// The circuit breakers of every endpoint the dispatcher talks to, shared by its deliveries.
public final class BreakerBoard: Sendable {
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    /// The vendors (targets) whose messages went to each endpoint, as recorded.
    private let vendorsByEndpoint = Mutex<[String: Set<String>]>([:])
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
        vendorsByEndpoint.withLock { _ = $0[endpoint, default: []].insert(vendor) }
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

    /// Endpoints whose breaker is open and still cooling down at `now`, so their messages can stay
    /// in the store instead of being claimed only to be put back; an endpoint used by a vendor in
    /// `rerouted` (one with a fallback endpoint) is left out, as its messages go to the fallback.
    public func cooling(now: Date, except rerouted: Set<String> = []) -> [String] {
        let open = breakers.withLock { breakers in
            breakers.compactMap { endpoint, breaker -> String? in
                guard case .open(let until) = breaker.state, until > now else { return nil }
                return endpoint
            }
        }
        guard !open.isEmpty else { return [] }
        return vendorsByEndpoint.withLock { vendors in
            open.filter { vendors[$0, default: []].isDisjoint(with: rerouted) }.sorted()
        }
    }

    public func isOpen(_ endpoint: String) -> Bool {
        breakers.withLock { $0[endpoint]?.isOpen ?? false }
    }
}
