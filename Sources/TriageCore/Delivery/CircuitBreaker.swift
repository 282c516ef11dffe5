import FoundationEssentials

/// One endpoint's circuit breaker: after `threshold` consecutive failures that say the endpoint
/// is down (timeouts, refused connections, 429, 5xx), it opens for `cooldown`; then one probe
/// may go through (half-open); a success closes it, a failure opens it again. Pure: `now` is passed in.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: Date)
        case halfOpen(probing: Bool)
    }

    public enum Verdict: Sendable, Equatable {
        /// Send normally.
        case send
        /// Send as the one probe of a half-open breaker.
        case probe
        /// Do not send before this instant.
        case wait(until: Date)
    }

    public let threshold: Int
    public let cooldown: TimeInterval
    public private(set) var state: State = .closed(failures: 0)

    public init(threshold: Int = 5, cooldown: TimeInterval = 30) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a delivery may be attempted now.
    public mutating func verdict(now: Date) -> Verdict {
        switch state {
        case .closed: return .send
        case .open(let until):
            guard now >= until else { return .wait(until: until) }
            state = .halfOpen(probing: true)
            return .probe
        case .halfOpen(let probing):
            if probing { return .wait(until: now.addingTimeInterval(min(cooldown, 5))) }
            state = .halfOpen(probing: true)
            return .probe
        }
    }

    /// Records the outcome of an attempt. Failures that do not say the endpoint is down (a 400, a
    /// refused credential) count as answers: the endpoint is up.
    public mutating func record(_ failure: DeliveryFailure?, now: Date) {
        let down: Bool
        if let failure {
            switch failure.reason {
            case .timeout, .refused, .dns, .rateLimited, .serverError, .transport: down = true
            case .tls, .auth, .clientError: down = false
            }
        } else {
            down = false
        }
        switch (state, down) {
        case (_, false): state = .closed(failures: 0)
        case (.closed(let failures), true):
            state = failures + 1 >= threshold ? .open(until: now.addingTimeInterval(cooldown)) : .closed(failures: failures + 1)
        case (.halfOpen, true), (.open, true): state = .open(until: now.addingTimeInterval(cooldown))
        }
    }

    public var isOpen: Bool {
        if case .closed = state { return false }
        return true
    }
}
