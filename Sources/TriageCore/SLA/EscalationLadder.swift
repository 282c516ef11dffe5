import FoundationEssentials

/// Named escalation steps: what to do as an SLA budget is spent.
///
/// ```yaml
/// escalations:
///   standard:
///     - {at: 50%, notify: vendor}
///     - {at: 75%, notify: [vendor-manager, duty-manager]}
///     - {at: 90%, raise_priority: 1}
///     - {at: 100%, reassign: backup, notify: on-call, repeat: 30m}
///     - {remaining: 5m, target: acknowledge, notify: vendor, tag: ack-at-risk}
/// ```
public struct EscalationLadder: Sendable, Equatable, Codable {
    public var name: String
    public var steps: [EscalationStep]

    public init(name: String, steps: [EscalationStep]) {
        self.name = name
        self.steps = steps
    }
}

/// One rung: when (a share of the budget used, or time left) on which clock, and what to do.
public struct EscalationStep: Sendable, Equatable, Codable {
    public enum Trigger: Sendable, Equatable, Codable {
        /// When this percentage of the budget is used (100 = at the deadline).
        case percent(Double)
        /// When this much business time is left.
        case remaining(Duration)
    }

    /// Which clock: `resolve` unless said otherwise.
    public var target: SLATimer.Kind
    public var trigger: Trigger
    public var actions: [EscalationAction]
    /// Fire again this often (wall clock) while the clock runs, up to `repeatLimit` more times.
    public var repeatEvery: Duration?
    public var repeatLimit: Int

    public init(
        target: SLATimer.Kind = .resolve, trigger: Trigger, actions: [EscalationAction], repeatEvery: Duration? = nil,
        repeatLimit: Int = 10
    ) {
        self.target = target
        self.trigger = trigger
        self.actions = actions
        self.repeatEvery = repeatEvery
        self.repeatLimit = repeatLimit
    }

    /// `50%`, `5m left`.
    public var label: String {
        switch trigger {
        case .percent(let value):
            let text = value == value.rounded() ? String(Int(value)) : String(value)
            return "\(target.rawValue) \(text)%"
        case .remaining(let left): return "\(target.rawValue) \(DurationText.format(left)) left"
        }
    }
}

/// What a step does.
public enum EscalationAction: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Send a notice to a named notification endpoint, or to the assigned vendor (`vendor`).
    case notify(String)
    /// Raise the incident's priority by this many levels (P3 → P2 for 1), never above P1.
    case raisePriority(Int)
    /// Hand the incident to the vendor's backup (its clocks restart under the backup's contract).
    case reassignToBackup
    /// Add a tag to the decision.
    case addTag(String)

    public var description: String {
        switch self {
        case .notify(let target): "notify \(target)"
        case .raisePriority(let levels): "raise priority by \(levels)"
        case .reassignToBackup: "reassign to the backup vendor"
        case .addTag(let tag): "tag '\(tag)'"
        }
    }
}
