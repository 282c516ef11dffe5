/// Where an incident is in its life.
///
/// ```
/// new ─triage→ triaged ─assign→ assigned ─acknowledge→ acknowledged ─resolve→ resolved ─close→ closed
///  │              │                │  ↑ reassign          │  ↑ resume            │
///  └─suppress→ suppressed          └─pause→ paused ←──────┘  └──────────────────reopen→ assigned
/// ```
public enum IncidentPhase: String, Sendable, Codable, CaseIterable {
    case new, triaged, assigned, acknowledged, paused, resolved, closed, suppressed

    /// Still needs someone: not resolved, closed or suppressed.
    public var isOpen: Bool { ![.resolved, .closed, .suppressed].contains(self) }
}

/// What can happen to an incident: from its source, its vendor, an operator or triage itself.
public enum LifecycleAction: String, Sendable, Codable, CaseIterable {
    case triage, assign, acknowledge, pause, resume, resolve, close, reopen, reassign, suppress, comment
    case reassignRequest = "reassign-request"
}

/// A transition that is not allowed, with what is.
public struct IllegalTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public var phase: IncidentPhase
    public var action: LifecycleAction
    public var allowed: [LifecycleAction]

    public var description: String {
        "cannot \(action.rawValue) an incident that is \(phase.rawValue) (allowed: \(allowed.map(\.rawValue).joined(separator: ", ")))"
    }
}

/// The lifecycle's rules: which action moves which phase where. Pure.
///
/// Repeats that change nothing are legal (a second `acknowledge` from a webhook retry, `resolve`
/// of a resolved incident) so replays and duplicate webhooks are harmless; what contradicts the
/// phase is illegal (acknowledging a closed incident, resuming one that is not paused).
public enum IncidentStateMachine {
    /// The phase after `action`. `pausedFrom` is where a paused incident returns on `resume`.
    public static func next(
        _ phase: IncidentPhase, on action: LifecycleAction, pausedFrom: IncidentPhase? = nil
    ) -> Result<IncidentPhase, IllegalTransition> {
        if let target = table[phase]?[action] {
            if phase == .paused, action == .resume { return .success(pausedFrom ?? .assigned) }
            return .success(target)
        }
        return .failure(IllegalTransition(phase: phase, action: action, allowed: allowed(from: phase)))
    }

    /// The actions allowed from `phase`, in declaration order.
    public static func allowed(from phase: IncidentPhase) -> [LifecycleAction] {
        LifecycleAction.allCases.filter { table[phase]?[$0] != nil }
    }

    static let table: [IncidentPhase: [LifecycleAction: IncidentPhase]] = [
        .new: [
            .triage: .triaged, .assign: .assigned, .suppress: .suppressed, .acknowledge: .acknowledged, .resolve: .resolved,
            .comment: .new,
        ],
        .triaged: [
            .triage: .triaged, .assign: .assigned, .suppress: .suppressed, .acknowledge: .acknowledged, .resolve: .resolved,
            .comment: .triaged,
        ],
        .assigned: [
            .assign: .assigned, .acknowledge: .acknowledged, .pause: .paused, .resolve: .resolved, .reassign: .assigned,
            .reassignRequest: .assigned, .comment: .assigned,
        ],
        .acknowledged: [
            .acknowledge: .acknowledged, .pause: .paused, .resolve: .resolved, .reassign: .assigned,
            .reassignRequest: .acknowledged, .comment: .acknowledged,
        ],
        .paused: [
            .pause: .paused, .resume: .assigned, .resolve: .resolved, .reassign: .assigned, .reassignRequest: .paused,
            .comment: .paused,
        ],
        .resolved: [.resolve: .resolved, .close: .closed, .reopen: .assigned, .comment: .resolved],
        .closed: [.close: .closed, .comment: .closed],
        .suppressed: [.resolve: .resolved, .triage: .triaged, .comment: .suppressed],
    ]
}
