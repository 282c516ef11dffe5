import Foundation
import TriageCore

/// The clocks reports are made of: every vendor's turn on every incident, current or ended.
public protocol SLAHistoryStore: Sendable {
    /// Clocks started in [from, to), for one vendor or all, oldest first.
    func slaClockEntries(from: Date, to: Date, vendor: String?) async throws -> [SLAClockEntry]
}

/// One vendor's turn on one incident: its terms and clock state, and when the turn ended.
public struct SLAClockEntry: Sendable, Equatable {
    public var incidentID: String
    public var generation: Int
    public var snapshot: SLASnapshot
    public var state: SLAClockState
    /// When a reassignment ended this turn; `nil` for the incident's current clock.
    public var endedAt: Date?
    /// Escalation steps fired on this turn, by target.
    public var escalations: [SLATimer.Kind: Int]
    /// Reassignments over the incident's whole life.
    public var reassignments: Int
    public var reopened: Bool

    public init(
        incidentID: String, generation: Int, snapshot: SLASnapshot, state: SLAClockState, endedAt: Date?,
        escalations: [SLATimer.Kind: Int] = [:], reassignments: Int = 0, reopened: Bool = false
    ) {
        self.incidentID = incidentID
        self.generation = generation
        self.snapshot = snapshot
        self.state = state
        self.endedAt = endedAt
        self.escalations = escalations
        self.reassignments = reassignments
        self.reopened = reopened
    }
}

/// Turns stored clocks into SLA records, on each clock's own calendar.
public enum SLARecordLoader {
    /// Records of the clocks started in [from, to), for one vendor or all.
    public static func records(
        store: any SLAHistoryStore, from: Date, to: Date, vendor: String?,
        zones: @escaping @Sendable (String) -> ZoneRules?, now: Date
    ) async throws -> [SLARecord] {
        try await store.slaClockEntries(from: from, to: to, vendor: vendor).flatMap { entry in
            let zone = entry.snapshot.calendar.flatMap { zones($0.zone) }
            let calendar = SLASchedule.calendar(for: entry.snapshot, zone: zone) ?? .twentyFourSeven()
            return SLARecord.records(
                incidentID: entry.incidentID, snapshot: entry.snapshot, state: entry.state, calendar: calendar,
                endedAt: entry.endedAt, now: now, escalations: entry.escalations, reassignments: entry.reassignments,
                reopened: entry.reopened)
        }
    }
}
