import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: OutboxAdmin {
    /// Messages, newest first, optionally of one status.
    public func outboxEntries(status: String?, limit: Int) async throws -> [OutboxEntry] {
        try await read { c in
            try await c.rows(
                """
                SELECT * FROM outboxMessage WHERE (\(status)::text IS NULL OR status = \(status))
                ORDER BY createdAt DESC, id COLLATE "C" DESC LIMIT \(limit)
                """, logger: logger
            ).map { row in
                let status = try row.get("status", as: String.self)
                return OutboxEntry(
                    id: try row.get("id"), incidentID: try row.get("incidentid"), vendor: try row.get("vendor"),
                    endpoint: try row.get("endpoint"), status: status, attempts: try row.get("attempts"),
                    nextAttemptAt: status == "pending" ? Date(millis: try row.get("nextattemptat")) : nil,
                    createdAt: Date(millis: try row.get("createdat")),
                    deliveredAt: (try row.get("deliveredat", as: Int64?.self)).map(Date.init(millis:)),
                    reason: try row.get("deadreason"))
            }
        }
    }

    /// Puts a dead or dropped message back in the queue, due now, and wakes the dispatchers.
    public func retryMessage(_ id: String, now: Date) async throws -> Bool {
        try await transaction { c in
            guard let incident = try await c.row(
                """
                UPDATE outboxMessage SET status = 'pending', nextAttemptAt = \(now.millis), leaseOwner = NULL, leaseUntil = NULL,
                    deadReason = NULL
                WHERE id = \(id) AND status IN ('dead', 'dropped') AND purgedAt IS NULL
                RETURNING incidentId AS incident
                """, logger: logger)?.get("incident", as: String.self)
            else { return false }
            try await PGRows.event(c, incident, now.millis, "redelivery", "message \(id) queued again by an operator", logger: logger)
            try await c.query("NOTIFY triage_outbox", logger: logger)
            return true
        }
    }

    /// Stops a pending or dead message for good; a dispatcher delivering it meanwhile loses its
    /// lease, so its attempt is not recorded over the drop.
    public func dropMessage(_ id: String, reason: String, now: Date) async throws -> Bool {
        try await transaction { c in
            guard let incident = try await c.row(
                """
                UPDATE outboxMessage SET status = 'dropped', deadReason = \("dropped by an operator: \(reason)"),
                    leaseOwner = NULL, leaseUntil = NULL
                WHERE id = \(id) AND status IN ('pending', 'dead')
                RETURNING incidentId AS incident
                """, logger: logger)?.get("incident", as: String.self)
            else { return false }
            try await PGRows.event(c, incident, now.millis, "dropped", "message \(id): \(reason)", logger: logger)
            return true
        }
    }
}
