import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: ReassignmentStore {
    /// Moves the incident to the decision's vendor in one transaction: the old vendor's load drops,
    /// the decision is replaced, the delivery to the new vendor is queued, the SLA clocks restart
    /// under its contract (or stop without one) and the reason is recorded. The incident's row is
    /// locked first, so concurrent reassignments and lifecycle changes of one incident take turns.
    public func reassign(
        _ id: IncidentID, decision: Decision, outbox: NewOutboxMessage, clock: SLAClockStart?, reason: String, now: Date
    ) async throws {
        let key = id.rawValue
        let ms = now.millis
        let body = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
        try await transaction { c in
            let incident = try await c.row("SELECT service FROM incident WHERE id = \(key) FOR UPDATE", logger: logger)
            let service = try incident?.get("service", as: String?.self) ?? nil
            // The old vendor's open count drops before the decision names the new one.
            try await PGVendorCounts.countRelease(c, incidentID: key, at: now, resolved: false, logger: logger)
            try await c.query(
                """
                UPDATE decision SET decidedAt = \(decision.decidedAt.millis), vendor = \(decision.vendor), body = \(body)
                WHERE incidentId = \(key)
                """, logger: logger)
            try await c.query(
                """
                INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts, nextAttemptAt, createdAt)
                VALUES (\(outbox.id), \(key), \(outbox.vendor), \(outbox.endpoint), \(Data(outbox.body)), 'pending', 0, \(ms), \(ms))
                """, logger: logger)
            try await c.query("NOTIFY triage_outbox", logger: logger)
            if let clock {
                try await PGClockRows.start(c, incidentID: key, clock: clock, now: now, logger: logger)
            } else {
                try await c.query(
                    "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = \(key) AND status = 'pending'", logger: logger)
                try await c.query(
                    "UPDATE slaClock SET acknowledgeDueAt = NULL, resolveDueAt = NULL, replan = 0 WHERE incidentId = \(key)",
                    logger: logger)
            }
            try await c.query(
                """
                UPDATE incident SET status = 'assigned', phase = 'assigned', pausedFrom = NULL, updatedAt = \(ms)
                WHERE id = \(key) AND status IN ('open', 'assigned', 'acknowledged')
                """, logger: logger)
            if let vendor = decision.vendor {
                try await PGVendorCounts.countAssignment(
                    c, vendor: vendor, priority: decision.priority, service: service, at: now, logger: logger)
            }
            try await PGRows.event(c, key, ms, "reassigned", reason, logger: logger)
        }
    }
}
