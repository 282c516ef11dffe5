import Foundation
import TriageCore

/// Lifecycle actions from vendors and operators, applied through the state machine in one
/// transaction, at most once per (sender, event id).
public protocol LifecycleStore: Sendable {
    func apply(_ request: LifecycleRequest) async throws -> LifecycleOutcome
}

/// One action on one incident, with who sent it.
public struct LifecycleRequest: Sendable, Equatable {
    public var incidentID: IncidentID
    public var action: LifecycleAction
    /// `vendor:acme-dba`, `operator`, `source:jira-acme`.
    public var sender: String
    /// The sender's id for this event: a repeat with the same id changes nothing.
    public var eventID: String?
    /// The person or system behind it (`jane@acme.example`).
    public var actor: String
    public var comment: String?
    public var at: Date

    public init(
        incidentID: IncidentID, action: LifecycleAction, sender: String, eventID: String? = nil, actor: String,
        comment: String? = nil, at: Date
    ) {
        self.incidentID = incidentID
        self.action = action
        self.sender = sender
        self.eventID = eventID
        self.actor = actor
        self.comment = comment
        self.at = at
    }
}

public enum LifecycleOutcome: Sendable, Equatable {
    case applied(from: IncidentPhase, to: IncidentPhase)
    /// The same (sender, event id) was seen before; what it did then.
    case duplicate(String)
    case refused(IllegalTransition)
    case unknownIncident

    /// `applied: assigned → acknowledged`, `refused: cannot …`.
    public var summary: String {
        switch self {
        case .applied(let from, let to): "applied: \(from.rawValue) → \(to.rawValue)"
        case .duplicate(let previous): previous
        case .refused(let error): "refused: \(error)"
        case .unknownIncident: "unknown incident"
        }
    }
}
