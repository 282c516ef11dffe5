/// Exponential backoff for deliveries: `initial × multiplier^(attempt-1)`, capped at `maximum`.
///
/// Deterministic on purpose (no jitter drawn from a global source): the spread between messages
/// comes from `jitter`, a fraction of the delay derived from a per-message seed the caller passes.
public struct RetryPolicy: Sendable, Equatable, Codable {
    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration
    /// Deliveries given up after this many attempts; the message goes to the dead-letter queue.
    public var maxAttempts: Int
    /// Up to this fraction of each delay is added, spread by the seed (0 = none).
    public var jitter: Double

    public init(
        initial: Duration = .seconds(1),
        multiplier: Double = 2,
        maximum: Duration = .seconds(300),
        maxAttempts: Int = 8,
        jitter: Double = 0.2
    ) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.maxAttempts = maxAttempts
        self.jitter = jitter
    }

    /// The wait before the next attempt after `attempt` attempts failed (attempt ≥ 1);
    /// `nil` when no attempt is left.
    public func delay(afterAttempt attempt: Int, seed: UInt64 = 0) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let exponent = Double(max(0, attempt - 1))
        var seconds = initial.timeInterval * pow(multiplier, exponent)
        seconds = min(seconds, maximum.timeInterval)
        if jitter > 0 {
            // A cheap, stable hash of (seed, attempt) in [0, 1).
            var x = seed &+ UInt64(attempt) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            let unit = Double(x >> 11) / Double(1 << 53)
            seconds += seconds * jitter * unit
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// Integer power without Foundation's `pow` (FoundationEssentials does not have it).
func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var i = 0.0
    while i < exponent {
        result *= base
        i += 1
    }
    return result
}
