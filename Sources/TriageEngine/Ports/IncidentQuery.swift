import Foundation
import TriageCore

/// Listing incidents for operators: newest first, filtered, a page at a time.
///
/// Both stores answer the same filter with the same incidents in the same order, so a client can
/// page through either the same way.
public protocol IncidentQuery: Sendable {
    /// Incidents matching every condition of `filter`, newest first (by `receivedAt`, then by id,
    /// both descending), at most `limit` of them (none when `limit` is below 1).
    ///
    /// - Parameters:
    ///   - filter: The conditions; an empty filter matches every incident.
    ///   - limit: The most to return.
    ///   - before: An incident id from an earlier page (usually its last): only incidents after it
    ///     in this order (strictly older) are returned, so pages never overlap or skip.
    /// - Throws: ``IncidentQueryError/unknownCursor(_:)`` when `before` names no stored incident.
    func incidents(matching filter: IncidentFilter, limit: Int, before: String?) async throws -> [IncidentSummary]
}

/// Why an incident listing was refused.
public enum IncidentQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `before` cursor names no stored incident.
    case unknownCursor(String)

    public var description: String {
        switch self {
        case .unknownCursor(let id): "no incident \(id) to page from"
        }
    }
}

/// What incidents to list. Every condition is optional; those given must all hold.
public struct IncidentFilter: Sendable, Equatable {
    /// The incident's status (`open`, `assigned`, `acknowledged`, `resolved`).
    public var status: IncidentStatus?
    /// The incident's lifecycle phase.
    public var phase: IncidentPhase?
    /// The vendor the decision names (incidents without a decision never match).
    public var vendor: String?
    /// The decision's priority (incidents without a decision never match).
    public var priority: Priority?
    /// The configured source that received it.
    public var source: String?
    /// Received at or after this instant.
    public var receivedFrom: Date?
    /// Received before this instant (half-open: an incident received at `receivedTo` is excluded).
    public var receivedTo: Date?
    /// A substring of the title or the description. ASCII letters match in either case; other
    /// characters match exactly (the same in SQLite and PostgreSQL). `%` and `_` are plain characters.
    public var text: String?

    /// A filter; with no arguments, one that matches every incident.
    public init(
        status: IncidentStatus? = nil, phase: IncidentPhase? = nil, vendor: String? = nil, priority: Priority? = nil,
        source: String? = nil, receivedFrom: Date? = nil, receivedTo: Date? = nil, text: String? = nil
    ) {
        self.status = status
        self.phase = phase
        self.vendor = vendor
        self.priority = priority
        self.source = source
        self.receivedFrom = receivedFrom
        self.receivedTo = receivedTo
        self.text = text
    }

    /// `text` as a SQL `LIKE` pattern matching it anywhere, with `\` as the escape character
    /// (`\`, `%` and `_` in the text are escaped); `nil` when there is no text condition.
    /// For store adapters, so both escape the same way.
    public var textPattern: String? {
        guard let text else { return nil }
        var pattern = "%"
        for character in text {
            if character == "\\" || character == "%" || character == "_" { pattern.append("\\") }
            pattern.append(character)
        }
        pattern.append("%")
        return pattern
    }
}

/// One incident as the listing shows it: what it is, where it stands, and what triage decided.
public struct IncidentSummary: Sendable, Codable, Equatable {
    public var id: IncidentID
    public var source: String
    public var title: String
    public var status: IncidentStatus
    public var phase: IncidentPhase
    public var severity: Severity
    public var service: String?
    /// The decision's priority; `nil` until the incident is triaged.
    public var priority: Priority?
    public var category: String?
    /// The vendor the decision names.
    public var vendor: String?
    /// Whether no rule classified it; `nil` until the incident is triaged.
    public var abstained: Bool?
    public var receivedAt: Date
    /// When it was triaged (or last reassigned); `nil` until then.
    public var decidedAt: Date?
    /// The last line of the decision's explanation.
    public var reason: String?
    /// How many times the sender has fired it.
    public var occurrences: Int

    /// A summary; the decision's fields are `nil` for an incident not yet triaged.
    public init(
        id: IncidentID, source: String, title: String, status: IncidentStatus, phase: IncidentPhase, severity: Severity,
        service: String?, priority: Priority?, category: String?, vendor: String?, abstained: Bool?, receivedAt: Date,
        decidedAt: Date?, reason: String?, occurrences: Int
    ) {
        self.id = id
        self.source = source
        self.title = title
        self.status = status
        self.phase = phase
        self.severity = severity
        self.service = service
        self.priority = priority
        self.category = category
        self.vendor = vendor
        self.abstained = abstained
        self.receivedAt = receivedAt
        self.decidedAt = decidedAt
        self.reason = reason
        self.occurrences = occurrences
    }
}
