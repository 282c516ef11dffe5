import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: ReassignmentStore {
    public func reassign(
        _ id: IncidentID, decision: Decision, outbox: NewOutboxMessage, clock: SLAClockStart?, reason: String, now: Date
    ) async throws {
        let key = id.rawValue
        let ms = now.millis
        let incident = try await incident(id)?.incident
        try await pool.write { db in
            // The old vendor's open count drops before the decision names the new one.
            try Self.countRelease(db, incidentID: key, at: now, resolved: false)
            let body = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
            try db.execute(
                sql: "UPDATE decision SET decidedAt = ?, vendor = ?, body = ? WHERE incidentId = ?",
                arguments: [decision.decidedAt.millis, decision.vendor, body, key])
            try db.execute(
                sql: """
                    INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts, nextAttemptAt, createdAt)
                    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                    """,
                arguments: [outbox.id, key, outbox.vendor, outbox.endpoint, Data(outbox.body), ms, ms])
            if let clock {
                try SLAClockRows.start(db, incidentID: key, clock: clock, now: now)
            } else {
                try db.execute(
                    sql: "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = ? AND status = 'pending'", arguments: [key])
                try db.execute(
                    sql: "UPDATE slaClock SET acknowledgeDueAt = NULL, resolveDueAt = NULL, replan = 0 WHERE incidentId = ?",
                    arguments: [key])
            }
            try db.execute(
                sql: """
                    UPDATE incident SET status = 'assigned', phase = 'assigned', pausedFrom = NULL, updatedAt = ?
                    WHERE id = ? AND status IN ('open', 'assigned', 'acknowledged')
                    """,
                arguments: [ms, key])
            if let vendor = decision.vendor {
                try Self.countAssignment(db, vendor: vendor, priority: decision.priority, service: incident?.service, at: now)
            }
            try Self.event(db, key, ms, "reassigned", reason)
        }
    }
}
