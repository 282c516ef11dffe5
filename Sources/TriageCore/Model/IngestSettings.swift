/// Receiver settings that are not per source: the drop-in endpoints and the body limit.
public struct IngestSettings: Sendable, Equatable {
    /// The `alertmanager` source that `POST /api/v2/alerts` (Alertmanager's own alert API,
    /// as Prometheus posts it) feeds; `nil` leaves the endpoint off.
    public var alertmanagerAPISource: String?
    /// The `pagerduty-events` source that `POST /v2/enqueue` (PagerDuty Events API v2) feeds.
    public var pagerDutyEnqueueSource: String?
    /// Largest accepted body; larger ones are answered 413.
    public var maxBodyBytes: Int
    /// How many rejected payloads are kept for inspection; older ones are pruned.
    public var keepRejected: Int
    /// How long a sender may take to send a whole body once its headers arrived; slower
    /// requests are answered 408 and their connection closed (a slow-body attack holds nothing).
    public var bodyTimeout: Duration = .seconds(30)

    public init(
        alertmanagerAPISource: String? = nil,
        pagerDutyEnqueueSource: String? = nil,
        maxBodyBytes: Int = 1 << 20,
        keepRejected: Int = 10_000
    ) {
        self.alertmanagerAPISource = alertmanagerAPISource
        self.pagerDutyEnqueueSource = pagerDutyEnqueueSource
        self.maxBodyBytes = maxBodyBytes
        self.keepRejected = keepRejected
    }
}
