import Foundation
import TriageCore

/// Moving an incident to another vendor, in one transaction.
public protocol ReassignmentStore: Sendable {
    /// Replaces the decision, queues the delivery to the new vendor, restarts the SLA timers
    /// under its contract, moves the load counters and records the reason.
    func reassign(
        _ id: IncidentID, decision: Decision, outbox: NewOutboxMessage, clock: SLAClockStart?, reason: String, now: Date
    ) async throws
}
