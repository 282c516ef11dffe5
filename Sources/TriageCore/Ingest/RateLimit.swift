import FoundationEssentials

/// A per-source token bucket: `perSecond` requests a second on average, bursts up to `burst`.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// The state of one token bucket. Pure: the caller passes `now`.
public struct TokenBucket: Sendable, Equatable {
    public let limit: RateLimit
    public private(set) var tokens: Double
    public private(set) var updatedAt: Date

    public init(limit: RateLimit, now: Date) {
        self.limit = limit
        self.tokens = limit.burst
        self.updatedAt = now
    }

    /// Takes one token if there is one. When there is none, returns how many seconds until there is.
    public mutating func take(now: Date) -> TimeInterval? {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(limit.burst, tokens + elapsed * limit.perSecond)
        updatedAt = max(updatedAt, now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / limit.perSecond
    }
}
