/// How the dispatcher talks to vendors: retries and timeouts.
public struct DeliverySettings: Sendable, Equatable, Codable {
    public var retry: RetryPolicy
    /// Time allowed to open a connection.
    public var connectTimeout: Duration
    /// Time allowed for a whole delivery.
    public var requestTimeout: Duration
    /// Consecutive "endpoint down" failures that open its circuit breaker.
    public var breakerFailures: Int = 5
    /// How long an open breaker waits before one probe.
    public var breakerCooldown: Duration = .seconds(30)
    /// A message still failing this long after it was queued is dead-lettered (`nil`: attempts only).
    public var maxAge: Duration? = .seconds(86_400)

    public init(
        retry: RetryPolicy = RetryPolicy(),
        connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(15)
    ) {
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }
}
