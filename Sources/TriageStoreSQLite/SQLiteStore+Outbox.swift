import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: Outbox {
    /// Leases due pending messages (unleased or with an expired lease), soonest due first,
    /// skipping the `busy` endpoints. A message is taken only when no message queued before it
    /// (by `seq`, the creation sequence) for the same incident and endpoint is still pending,
    /// leased or not: an incident's messages reach an endpoint in the order they were queued, even
    /// when the first one is retrying. Delivered, dead-lettered and dropped messages do not hold
    /// later ones back.
    public func claimDue(limit: Int, owner: String, now: Date, lease: Duration, skipping busy: [String]) async throws
        -> [OutboxMessage]
    {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        let skip = busy.isEmpty ? "" : "AND endpoint NOT IN (\(Array(repeating: "?", count: busy.count).joined(separator: ", ")))"
        return try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, incidentId, vendor, endpoint, body, attempts, createdAt, method FROM outboxMessage AS m
                    WHERE status = 'pending' AND nextAttemptAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?) \(skip)
                        AND NOT EXISTS (
                            SELECT 1 FROM outboxMessage AS earlier
                            WHERE earlier.incidentId = m.incidentId AND earlier.endpoint = m.endpoint
                                AND earlier.status = 'pending' AND earlier.seq < m.seq)
                    ORDER BY nextAttemptAt, seq LIMIT ?
                    """,
                arguments: StatementArguments([ms, ms] as [any DatabaseValueConvertible]) + StatementArguments(busy)
                    + StatementArguments([limit])
            )
            var messages: [OutboxMessage] = []
            for row in rows {
                let id: String = row["id"]
                try db.execute(
                    sql: "UPDATE outboxMessage SET leaseOwner = ?, leaseUntil = ? WHERE id = ?",
                    arguments: [owner, until, id]
                )
                guard let incidentID = IncidentID(row["incidentId"] as String) else { continue }
                let body: Data = row["body"]
                var message = OutboxMessage(
                    id: id,
                    incidentID: incidentID,
                    vendor: row["vendor"],
                    endpoint: row["endpoint"],
                    body: Array(body),
                    attempts: row["attempts"],
                    owner: owner
                )
                message.createdAt = Date(millis: row["createdAt"])
                message.method = row["method"]
                messages.append(message)
            }
            return messages
        }
    }

    public func record(_ attempt: DeliveryAttempt, for message: OutboxMessage, then outcome: OutboxOutcome) async throws {
        try await attempts.submit(AttemptRecord(attempt: attempt, message: message, outcome: outcome))
    }

    /// Writes recorded attempts in one transaction, each in its own savepoint.
    static func write(_ records: [AttemptRecord], pool: DatabasePool) throws -> [Result<Void, any Error>] {
        try pool.write { db in
            records.map { record in
                Result {
                    try db.inSavepoint {
                        try Self.write(record, db: db)
                        return .commit
                    }
                }
            }
        }
    }

    static func write(_ record: AttemptRecord, db: Database) throws {
        let (attempt, message, outcome) = (record.attempt, record.message, record.outcome)
        // A dispatcher whose lease ran out (another took the message over) or whose message an
        // operator dropped meanwhile records nothing: the new owner's attempts are the record.
        guard try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM outboxMessage WHERE id = ? AND leaseOwner = ?", arguments: [message.id, message.owner]) == 1
        else { return }
        try db.execute(
            sql: """
                INSERT INTO deliveryAttempt (messageId, number, startedAt, durationMs, httpStatus,
                    failureReason, failureMessage)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                message.id, attempt.number, attempt.startedAt.millis, attempt.durationMilliseconds,
                attempt.httpStatus, attempt.failure?.reason.rawValue, attempt.failure?.message,
            ]
        )
        let incident = message.incidentID.rawValue
        switch outcome {
        case .delivered(let at):
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET status = 'delivered', attempts = ?, deliveredAt = ?,
                        leaseOwner = NULL, leaseUntil = NULL, externalRef = COALESCE(?, externalRef)
                    WHERE id = ?
                    """,
                arguments: [attempt.number, at.millis, attempt.externalRef, message.id]
            )
            try Self.event(db, incident, at.millis, "delivered", "to '\(message.vendor)' on attempt \(attempt.number)")
        case .retry(let at):
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET attempts = ?, nextAttemptAt = ?, leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = ?
                    """,
                arguments: [attempt.number, at.millis, message.id]
            )
        case .dead(let reason, let at):
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET status = 'dead', attempts = ?, deadReason = ?,
                        leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = ?
                    """,
                arguments: [attempt.number, reason, message.id]
            )
            try Self.event(db, incident, at.millis, "dead-letter", "to '\(message.vendor)': \(reason)")
        }
    }
}

/// One attempt to record, with what follows from it.
struct AttemptRecord: Sendable {
    var attempt: DeliveryAttempt
    var message: OutboxMessage
    var outcome: OutboxOutcome
}

extension SQLiteStore {
    public func postpone(_ message: OutboxMessage, until: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET nextAttemptAt = ?, leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = ? AND status = 'pending' AND leaseOwner = ?
                    """,
                arguments: [until.millis, message.id, message.owner])
        }
    }
}
