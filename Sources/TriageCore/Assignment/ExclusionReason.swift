import FoundationEssentials

/// Why a vendor may not take an incident: the first eligibility check it failed.
///
/// Kept as a value while deciding (cheap) and turned into text only when explaining.
enum ExclusionReason: Sendable, Equatable {
    case notConfigured
    case disabled
    /// Taken out of assignment at run time, with the operator's reason.
    case disabledByOperator(String)
    case notInPool
    case contractNotStarted(LocalDate)
    case contractEnded(LocalDate)
    case priorityNotAccepted(Priority, accepted: [Priority])
    /// The request has no category, service or group, and neither a pinned vendor nor a pool
    /// decided the scope.
    case noScope
    case noSkillMatch
    case language(String, spoken: [String])
    case atCapacity(open: Int, capacity: Int)
    case atPriorityCapacity(Priority, open: Int, capacity: Int)
    case outsideHours(calendar: String, priority: Priority)

    /// The reason as an explanation fragment, e.g. `contract ended on 2026-06-30`.
    func text(_ request: AssignmentRequest) -> String {
        switch self {
        case .notConfigured: return "not configured"
        case .disabled: return "disabled (maintenance)"
        case .disabledByOperator(let reason): return "disabled by an operator: \(reason)"
        case .notInPool: return "not in the rule's vendor pool"
        case .contractNotStarted(let date): return "contract starts on \(date)"
        case .contractEnded(let date): return "contract ended on \(date)"
        case .priorityNotAccepted(let priority, let accepted):
            return "does not accept \(priority.rawValue) (accepts \(accepted.map(\.rawValue).joined(separator: ", ")))"
        case .noScope: return "no category, service or group to match"
        case .noSkillMatch:
            var asked: [String] = []
            if let value = request.category, !value.isEmpty { asked.append("category '\(value)'") }
            if let value = request.service, !value.isEmpty { asked.append("service '\(value)'") }
            if let value = request.group, !value.isEmpty { asked.append("group '\(value)'") }
            return "no skill match for \(asked.joined(separator: ", "))"
        case .language(let language, let spoken):
            return "does not work in '\(language)' (works in \(spoken.joined(separator: ", ")))"
        case .atCapacity(let open, let capacity): return "at capacity (\(open) of \(capacity) open)"
        case .atPriorityCapacity(let priority, let open, let capacity):
            return "at \(priority.rawValue) capacity (\(open) of \(capacity) open)"
        case .outsideHours(let calendar, let priority):
            return "outside business hours (calendar '\(calendar)', required for \(priority.rawValue))"
        }
    }
}
