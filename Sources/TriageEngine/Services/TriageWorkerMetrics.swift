import Foundation
import Metrics
import TriageCore

/// The worker's per-decision metrics, made once at start-up (a lookup per incident would take the
/// metrics registry's lock each time). Label sets are bounded: the six ``DecisionSource`` values,
/// and vendor names from the configuration (the assigner only ever names a configured vendor).
///
/// - `triage_triage_duration_seconds`: histogram of the time from the claim of an item to its
///   committed decision (the batch's claim instant to the commit, on the worker's clock);
/// - `triage_decisions_total{by}`: committed decisions, by what decided them (``DecisionSource``);
/// - `triage_assignments_total{vendor}`: committed decisions that queued a message to a vendor
///   (the assignments the vendor's load counts).
struct TriageWorkerMetrics: Sendable {
    let duration = Timer(label: "triage_triage_duration_seconds")
    private let decisions: [DecisionSource: Counter]

    /// - Parameter vendors: The vendors configured at start-up, whose assignment counters start at 0.
    init(vendors: [String]) {
        var decisions: [DecisionSource: Counter] = [:]
        for source in DecisionSource.allCases {
            decisions[source] = Counter(label: "triage_decisions_total", dimensions: [("by", source.rawValue)])
        }
        self.decisions = decisions
        for vendor in vendors { _ = Self.assignments(vendor) }
    }

    /// Counts one committed decision, and its assignment when it queued a message to `vendor`.
    func count(_ decision: Decision, claimedAt: Date, committedAt: Date, assignedTo vendor: String?) {
        duration.recordSeconds(max(0, committedAt.timeIntervalSince(claimedAt)))
        decisions[DecisionSource(decision)]?.increment()
        if let vendor { Self.assignments(vendor).increment() }
    }

    /// The assignment counter of a vendor (a vendor added by a reload gets its own on first use).
    static func assignments(_ vendor: String) -> Counter {
        Counter(label: "triage_assignments_total", dimensions: [("vendor", vendor)])
    }
}

/// What decided an incident, for `triage_decisions_total{by}`. Read from the committed decision,
/// first match wins:
///
/// 1. `suppressed`: a rule suppressed it (``Decision/suppressed``): no vendor, no clock.
/// 2. `internal_queue`: no vendor, and the explanation has the assigner's `ALERT:` line (nobody,
///    not even the default vendor, was eligible).
/// 3. `default`: the assigner fell back to the default vendor (its `chose default vendor '…'` line).
/// 4. `classifier`: the classifier was asked and its answer applied (``Decision/prediction`` not abstained).
/// 5. `rule`: a rule set the category (``Decision/abstained`` is `false`), or named the vendor
///    that took it (the assigner's `vendor '…' named by rule` line, or a backup of that vendor).
/// 6. `abstained`: nothing classified it (no category, the classifier absent or unsure) and a
///    vendor was still found by service, assignment group or pool.
enum DecisionSource: String, CaseIterable, Sendable {
    case rule
    case classifier
    case abstained
    case `default`
    case internalQueue = "internal_queue"
    case suppressed

    init(_ decision: Decision) {
        let lines = decision.explanation
        if decision.suppressed != nil {
            self = .suppressed
        } else if decision.vendor == nil, lines.contains(where: { $0.hasPrefix("ALERT:") }) {
            self = .internalQueue
        } else if lines.contains(where: { $0.hasPrefix("chose default vendor '") }) {
            self = .default
        } else if let prediction = decision.prediction, !prediction.abstained {
            self = .classifier
        } else if !decision.abstained || lines.contains(where: Self.namedByRule) {
            self = .rule
        } else {
            self = .abstained
        }
    }

    /// The assigner's line for a vendor a rule named, or the backup of one, that took the incident.
    static func namedByRule(_ line: String) -> Bool {
        (line.hasPrefix("vendor '") && line.hasSuffix("' named by rule"))
            || (line.hasPrefix("chose '") && line.hasSuffix("(named by rule)"))
    }
}
