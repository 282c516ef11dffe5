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
    /// How long a claimed message stays leased to the instance delivering it; past that (the
    /// instance died mid-delivery) another claims it and delivers again under the same
    /// idempotency key. `nil`: twice the connect and request timeouts (one wait for the endpoint's
    /// slot and one delivery) plus 30 s.
    public var lease: Duration?

    public var effectiveLease: Duration { lease ?? (connectTimeout + requestTimeout) * 2 + .seconds(30) }

    /// Deliveries in flight at once, all endpoints together.
    public var maxInFlight = 64
    /// Deliveries in flight at once to one endpoint (a vendor's `max_concurrency` overrides it).
    public var endpointConcurrency = 16

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
