import Metrics
import TriageCore

/// The receiver's counters, made once at start-up (a lookup per request would take the metrics
/// registry's lock on every webhook). Label sets are bounded: configured sources plus `unknown`,
/// and a fixed list of refusal reasons.
struct IngestMetrics: Sendable {
    static let reasons = [
        "unknown_source", "unsupported_media_type", "too_large", "unauthorized", "rate_limited", "malformed",
        "invalid_shape", "store_unavailable", "body_timeout",
    ]

    private let outcomes: [String: Counter]
    private let refusals: [String: Counter]

    init(sources: [String]) {
        var outcomes: [String: Counter] = [:]
        var refusals: [String: Counter] = [:]
        for source in sources + ["unknown"] {
            for outcome in ["accepted", "replayed", "rejected"] {
                outcomes["\(source) \(outcome)"] = Counter(
                    label: "triage_webhooks_total", dimensions: [("source", source), ("outcome", outcome)])
            }
            for reason in Self.reasons {
                refusals["\(source) \(reason)"] = Counter(
                    label: "triage_webhooks_rejected_total", dimensions: [("source", source), ("reason", reason)])
            }
        }
        self.outcomes = outcomes
        self.refusals = refusals
    }

    func count(_ source: String, outcome: String, reason: String? = nil) {
        outcomes["\(source) \(outcome)"]?.increment()
        if let reason { refusals["\(source) \(reason)"]?.increment() }
    }
}
