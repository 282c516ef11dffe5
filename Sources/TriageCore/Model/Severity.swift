/// How bad the sender says an incident is, normalised from each source's vocabulary.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case critical
    case error
    case warning
    case info
    case unknown

    /// Reads a sender's severity word ("crit", "P1", "high", "page", "warn", …); unknown words give `.unknown`.
    public init(parsing text: String?) {
        switch text?.lowercased() ?? "" {
        case "critical", "crit", "fatal", "emergency", "disaster", "page", "p1", "sev1", "sev-1", "1":
            self = .critical
        case "error", "err", "high", "major", "p2", "sev2", "sev-2", "2":
            self = .error
        case "warning", "warn", "medium", "minor", "average", "p3", "sev3", "sev-3", "3":
            self = .warning
        case "info", "information", "informational", "low", "notice", "ok", "p4", "p5", "4", "5":
            self = .info
        default:
            self = .unknown
        }
    }

    var rank: Int {
        switch self {
        case .critical: 0
        case .error: 1
        case .warning: 2
        case .info: 3
        case .unknown: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
