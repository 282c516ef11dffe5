/// Contract priority, P1 (most urgent) to P5. SLA targets are set per priority.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"
    case p4 = "P4"
    case p5 = "P5"

    /// Reads "P1".."P5" in any case; `nil` otherwise.
    public init?(parsing text: String) {
        guard let value = Priority(rawValue: text.uppercased()) else { return nil }
        self = value
    }

    /// The priority used when no rule sets one: derived from the sender's severity.
    public init(defaultFor severity: Severity) {
        switch severity {
        case .critical: self = .p1
        case .error: self = .p2
        case .warning: self = .p3
        case .info: self = .p4
        case .unknown: self = .p3
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}
