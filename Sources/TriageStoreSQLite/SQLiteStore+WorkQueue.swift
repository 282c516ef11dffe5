import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: WorkQueue {
    public func claim(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [WorkItem] {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        return try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT incidentId, attempts, round FROM workItem
                    WHERE (status = 'queued' AND availableAt <= ?) OR (status = 'leased' AND leaseUntil <= ?)
                    ORDER BY availableAt, incidentId LIMIT ?
                    """,
                arguments: [ms, ms, limit]
            )
            var items: [WorkItem] = []
            for row in rows {
                let id: String = row["incidentId"]
                let attempts: Int = row["attempts"]
                let round: Int = row["round"]
                try db.execute(
                    sql: """
                        UPDATE workItem SET status = 'leased', leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1
                        WHERE incidentId = ?
                        """,
                    arguments: [owner, until, id]
                )
                guard let incident = try Self.fetchIncident(db, id: id) else { continue }
                items.append(WorkItem(incident: incident, attempt: attempts + 1, owner: owner, round: round))
            }
            return items
        }
    }

    public func complete(
        _ item: WorkItem,
        decision: Decision,
        outbox: [NewOutboxMessage],
        clock: SLAClockStart?,
        capacity: CapacityLimit?,
        now: Date
    ) async throws {
        let ms = now.millis
        let id = item.incident.id.rawValue
        let body = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE workItem SET status = 'done', leaseOwner = NULL, leaseUntil = NULL
                    WHERE incidentId = ? AND status = 'leased' AND leaseOwner = ?
                    """,
                arguments: [id, item.owner]
            )
            guard db.changesCount == 1 else { throw WorkQueueError.leaseLost(item.incident.id) }
            try db.execute(
                sql: """
                    INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (incidentId) DO UPDATE SET decidedAt = excluded.decidedAt,
                        category = excluded.category, priority = excluded.priority, vendor = excluded.vendor,
                        abstained = excluded.abstained, body = excluded.body
                    """,
                arguments: [
                    id, decision.decidedAt.millis, decision.category, decision.priority.rawValue, decision.vendor,
                    decision.abstained, body,
                ]
            )
            if let vendor = decision.vendor, !outbox.isEmpty {
                // One writer at a time: the load read here cannot change before this transaction commits.
                if let capacity, let refusal = try Self.capacityRefusal(db, capacity) { throw refusal }
                try db.execute(
                    sql: "UPDATE incident SET status = 'assigned', updatedAt = ? WHERE id = ? AND status = 'open'",
                    arguments: [ms, id]
                )
                try Self.countAssignment(db, vendor: vendor, priority: decision.priority, service: item.incident.service, at: now)
            }
            for message in outbox {
                try db.execute(
                    sql: """
                        INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts,
                            nextAttemptAt, createdAt, method)
                        VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
                        """,
                    arguments: [message.id, id, message.vendor, message.endpoint, Data(message.body), ms, ms, message.method]
                )
            }
            if let clock { try SLAClockRows.start(db, incidentID: id, clock: clock, now: now) }
            let phase = decision.suppressed != nil ? "suppressed" : (decision.vendor != nil && !outbox.isEmpty ? "assigned" : "triaged")
            try db.execute(
                sql: "UPDATE incident SET phase = ? WHERE id = ? AND COALESCE(phase, 'new') IN ('new', 'triaged')",
                arguments: [phase, id])
            if let original = decision.duplicateOf {
                try Self.event(db, id, ms, "duplicate", "repeats open incident \(original)")
            }
            if let reason = decision.suppressed {
                try Self.event(db, id, ms, "suppressed", reason)
            } else {
                let summary =
                    "category \(decision.category ?? "none"), \(decision.priority.rawValue), "
                    + "vendor \(decision.vendor ?? "none")"
                try Self.event(db, id, ms, "triaged", summary)
            }
        }
    }

    /// Why `capacity` refuses one more assignment given the vendor's open load now; `nil` when it fits.
    static func capacityRefusal(_ db: Database, _ capacity: CapacityLimit) throws -> WorkQueueError? {
        let open = try Int.fetchOne(
            db, sql: "SELECT COALESCE(SUM(open), 0) FROM vendorLoad WHERE vendor = ?", arguments: [capacity.vendor]) ?? 0
        let openOfPriority = try Int.fetchOne(
            db, sql: "SELECT COALESCE(SUM(open), 0) FROM vendorLoad WHERE vendor = ? AND priority = ?",
            arguments: [capacity.vendor, capacity.priority.rawValue]) ?? 0
        return capacity.overrun(open: open, openOfPriority: openOfPriority)
    }

    public func release(_ item: WorkItem, error: String, retryAt: Date?, now: Date) async throws {
        let id = item.incident.id.rawValue
        try await pool.write { db in
            if let retryAt {
                try db.execute(
                    sql: """
                        UPDATE workItem SET status = 'queued', leaseOwner = NULL, leaseUntil = NULL,
                            availableAt = ?, lastError = ?
                        WHERE incidentId = ? AND leaseOwner = ?
                        """,
                    arguments: [retryAt.millis, error, id, item.owner]
                )
            } else {
                try db.execute(
                    sql: """
                        UPDATE workItem SET status = 'failed', leaseOwner = NULL, leaseUntil = NULL, lastError = ?
                        WHERE incidentId = ? AND leaseOwner = ?
                        """,
                    arguments: [error, id, item.owner]
                )
                try Self.event(db, id, now.millis, "triage-failed", "gave up after \(item.attempt) attempts")
            }
        }
    }

    static func fetchIncident(_ db: Database, id: String) throws -> Incident? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM incident WHERE id = ?", arguments: [id]),
            let incidentID = IncidentID(row["id"] as String)
        else { return nil }
        let labelsText: String = row["labels"]
        let labels = (try? JSONDecoder().decode([String: String].self, from: Data(labelsText.utf8))) ?? [:]
        let draft = IncidentDraft(
            source: row["source"],
            externalID: row["externalId"],
            dedupKey: row["dedupKey"],
            title: row["title"],
            description: row["description"],
            severity: Severity(rawValue: row["severity"]) ?? .unknown,
            labels: labels,
            service: row["service"],
            occurredAt: Date(millis: row["occurredAt"]),
            link: row["link"]
        )
        var incident = Incident(
            id: incidentID,
            draft: draft,
            receivedAt: Date(millis: row["receivedAt"]),
            rawPayloadID: row["rawPayloadId"]
        )
        incident.status = IncidentStatus(rawValue: row["status"]) ?? .open
        incident.occurrences = row["occurrences"]
        incident.lastSeenAt = (row["lastSeenAt"] as Int64?).map(Date.init(millis:)) ?? incident.receivedAt
        incident.acknowledgedAt = (row["acknowledgedAt"] as Int64?).map(Date.init(millis:))
        incident.resolvedAt = (row["resolvedAt"] as Int64?).map(Date.init(millis:))
        return incident
    }
}
