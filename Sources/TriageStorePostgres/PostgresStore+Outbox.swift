import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: Outbox {
    /// Leases due pending messages (unleased or with an expired lease), soonest due first, skipping
    /// the `busy` endpoints. `FOR UPDATE SKIP LOCKED`: concurrent dispatchers take disjoint
    /// messages and never wait for each other. A message is taken only when no message queued
    /// before it (by `seq`, the creation sequence) for the same incident and endpoint is still
    /// pending, leased or not: an incident's messages reach an endpoint in the order they were
    /// queued, even when the first one is retrying. Delivered, dead-lettered and dropped messages
    /// do not hold later ones back.
    public func claimDue(limit: Int, owner: String, now: Date, lease: Duration, skipping busy: [String]) async throws
        -> [OutboxMessage]
    {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        // One statement: it commits on its own, no BEGIN/COMMIT round trips.
        return try await read { c in
            let rows = try await c.rows(
                """
                UPDATE outboxMessage SET leaseOwner = \(owner), leaseUntil = \(until)
                WHERE id IN (
                    SELECT id FROM outboxMessage AS m
                    WHERE status = 'pending' AND nextAttemptAt <= \(ms) AND (leaseUntil IS NULL OR leaseUntil <= \(ms))
                        AND endpoint <> ALL(\(busy)::text[])
                        AND NOT EXISTS (
                            SELECT 1 FROM outboxMessage AS earlier
                            WHERE earlier.incidentId = m.incidentId AND earlier.endpoint = m.endpoint
                                AND earlier.status = 'pending' AND earlier.seq < m.seq)
                    ORDER BY nextAttemptAt, seq LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, incidentId AS incident, vendor, endpoint, body, attempts, createdAt AS created, method,
                    nextAttemptAt AS due, seq
                """, logger: logger)
            var messages: [(due: Int64, seq: Int64, message: OutboxMessage)] = []
            for row in rows {
                guard let incidentID = IncidentID(try row.get("incident", as: String.self)) else { continue }
                var message = OutboxMessage(
                    id: try row.get("id"),
                    incidentID: incidentID,
                    vendor: try row.get("vendor"),
                    endpoint: try row.get("endpoint"),
                    body: Array(try row.get("body", as: Data.self)),
                    attempts: try row.get("attempts"),
                    owner: owner
                )
                message.createdAt = Date(millis: try row.get("created"))
                message.method = try row.get("method")
                messages.append((try row.get("due", as: Int64.self), try row.get("seq", as: Int64.self), message))
            }
            return messages.sorted { $0.due != $1.due ? $0.due < $1.due : $0.seq < $1.seq }.map(\.message)
        }
    }

    /// Records one attempt and what follows from it, in one transaction, if `message.owner` still
    /// holds the lease. When it does not (the lease ran out and another dispatcher claimed the
    /// message, or an operator dropped it), nothing is written: the message belongs to someone else.
    public func record(_ attempt: DeliveryAttempt, for message: OutboxMessage, then outcome: OutboxOutcome) async throws {
        let incident = message.incidentID.rawValue
        try await transaction { c in
            let held: Int
            switch outcome {
            case .delivered(let at):
                held = try await c.run(
                    """
                    UPDATE outboxMessage SET status = 'delivered', attempts = \(attempt.number), deliveredAt = \(at.millis),
                        leaseOwner = NULL, leaseUntil = NULL, externalRef = COALESCE(\(attempt.externalRef), externalRef)
                    WHERE id = \(message.id) AND leaseOwner = \(message.owner)
                    RETURNING 1
                    """, logger: logger)
            case .retry(let at):
                held = try await c.run(
                    """
                    UPDATE outboxMessage SET attempts = \(attempt.number), nextAttemptAt = \(at.millis),
                        leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = \(message.id) AND leaseOwner = \(message.owner)
                    RETURNING 1
                    """, logger: logger)
            case .dead(let reason, _):
                held = try await c.run(
                    """
                    UPDATE outboxMessage SET status = 'dead', attempts = \(attempt.number), deadReason = \(reason),
                        leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = \(message.id) AND leaseOwner = \(message.owner)
                    RETURNING 1
                    """, logger: logger)
            }
            guard held == 1 else {
                logger.notice(
                    "delivery attempt not recorded: the message's lease is lost",
                    metadata: ["message": "\(message.id)", "owner": "\(message.owner)", "attempt": "\(attempt.number)"])
                return
            }
            try await c.query(
                """
                INSERT INTO deliveryAttempt (messageId, number, startedAt, durationMs, httpStatus, failureReason, failureMessage)
                VALUES (\(message.id), \(attempt.number), \(attempt.startedAt.millis), \(attempt.durationMilliseconds),
                    \(attempt.httpStatus), \(attempt.failure?.reason.rawValue), \(attempt.failure?.message))
                """, logger: logger)
            switch outcome {
            case .delivered(let at):
                try await PGRows.event(
                    c, incident, at.millis, "delivered", "to '\(message.vendor)' on attempt \(attempt.number)", logger: logger)
            case .retry:
                break
            case .dead(let reason, let at):
                try await PGRows.event(c, incident, at.millis, "dead-letter", "to '\(message.vendor)': \(reason)", logger: logger)
            }
        }
    }

    /// Gives a claimed message back without an attempt, due at `until`, if `message.owner` still holds it.
    public func postpone(_ message: OutboxMessage, until: Date) async throws {
        try await transaction { c in
            _ = try await c.query(
                """
                UPDATE outboxMessage SET nextAttemptAt = \(until.millis), leaseOwner = NULL, leaseUntil = NULL
                WHERE id = \(message.id) AND status = 'pending' AND leaseOwner = \(message.owner)
                """, logger: logger)
        }
    }
}
