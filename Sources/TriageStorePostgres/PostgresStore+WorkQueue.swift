import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: WorkQueue {
    /// Leases due items (queued and available, or leased with an expired lease), oldest first.
    /// `FOR UPDATE SKIP LOCKED`: concurrent claimers take disjoint items and never wait for each other.
    public func claim(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [WorkItem] {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        // One statement: it commits on its own, no BEGIN/COMMIT round trips.
        return try await read { c in
            let claimed = try await c.rows(
                """
                UPDATE workItem SET status = 'leased', leaseOwner = \(owner), leaseUntil = \(until), attempts = attempts + 1
                WHERE incidentId IN (
                    SELECT incidentId FROM workItem
                    WHERE (status = 'queued' AND availableAt <= \(ms)) OR (status = 'leased' AND leaseUntil <= \(ms))
                    ORDER BY availableAt, incidentId COLLATE "C" LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING incidentId AS id, attempts, round, availableAt AS available
                """, logger: logger
            ).map { row in
                (
                    id: try row.get("id", as: String.self), attempts: try row.get("attempts", as: Int.self),
                    round: try row.get("round", as: Int.self), available: try row.get("available", as: Int64.self)
                )
            }
            .sorted {
                $0.available != $1.available ? $0.available < $1.available : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
            }
            guard !claimed.isEmpty else { return [] }
            var incidents: [String: Incident] = [:]
            for row in try await c.rows("SELECT * FROM incident WHERE id = ANY(\(claimed.map(\.id)))", logger: logger) {
                if let incident = try PGRows.incident(from: row) { incidents[incident.id.rawValue] = incident }
            }
            return claimed.compactMap { item in
                incidents[item.id].map { WorkItem(incident: $0, attempt: item.attempts, owner: owner, round: item.round) }
            }
        }
    }

    /// Writes the decision, its outbox messages and SLA timers, and marks the item done, in one
    /// transaction, if `item.owner` still holds the lease. With `capacity`, assignments to one
    /// vendor are serialised by an advisory lock and refused past its limits.
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
        let assigned = decision.vendor != nil && !outbox.isEmpty
        let phase = decision.suppressed != nil ? "suppressed" : (assigned ? "assigned" : "triaged")
        try await transaction { c in
            // The incident's row first (the UPDATE locks it), as intake and lifecycle take it, so locks
            // are taken in one order; its status and phase move in the same statement.
            try await c.query(
                """
                UPDATE incident SET
                    status = CASE WHEN \(assigned) AND status = 'open' THEN 'assigned' ELSE status END,
                    updatedAt = CASE WHEN \(assigned) AND status = 'open' THEN \(ms) ELSE updatedAt END,
                    phase = CASE WHEN COALESCE(phase, 'new') IN ('new', 'triaged') THEN \(phase) ELSE phase END
                WHERE id = \(id)
                """, logger: logger)
            let held = try await c.run(
                """
                UPDATE workItem SET status = 'done', leaseOwner = NULL, leaseUntil = NULL
                WHERE incidentId = \(id) AND status = 'leased' AND leaseOwner = \(item.owner)
                RETURNING 1
                """, logger: logger)
            guard held == 1 else { throw WorkQueueError.leaseLost(item.incident.id) }
            if let capacity, let vendor = decision.vendor, !outbox.isEmpty {
                try await checkCapacity(c, capacity, vendor: vendor, priority: decision.priority)
            }
            try await c.query(
                """
                INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                VALUES (\(id), \(decision.decidedAt.millis), \(decision.category), \(decision.priority.rawValue),
                    \(decision.vendor), \(decision.abstained ? 1 : 0), \(body))
                ON CONFLICT (incidentId) DO UPDATE SET decidedAt = excluded.decidedAt,
                    category = excluded.category, priority = excluded.priority, vendor = excluded.vendor,
                    abstained = excluded.abstained, body = excluded.body
                """, logger: logger)
            if let vendor = decision.vendor, !outbox.isEmpty {
                try await PGVendorCounts.countAssignment(
                    c, vendor: vendor, priority: decision.priority, service: item.incident.service, at: now, logger: logger)
            }
            for message in outbox {
                try await c.query(
                    """
                    INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts,
                        nextAttemptAt, createdAt, method)
                    VALUES (\(message.id), \(id), \(message.vendor), \(message.endpoint), \(Data(message.body)), 'pending', 0,
                        \(ms), \(ms), \(message.method))
                    """, logger: logger)
            }
            if !outbox.isEmpty { try await c.query("NOTIFY triage_outbox", logger: logger) }
            if let clock { try await PGClockRows.start(c, incidentID: id, clock: clock, now: now, logger: logger) }
            if let original = decision.duplicateOf {
                try await PGRows.event(c, id, ms, "duplicate", "repeats open incident \(original)", logger: logger)
            }
            if let reason = decision.suppressed {
                try await PGRows.event(c, id, ms, "suppressed", reason, logger: logger)
            } else {
                let summary =
                    "category \(decision.category ?? "none"), \(decision.priority.rawValue), "
                    + "vendor \(decision.vendor ?? "none")"
                try await PGRows.event(c, id, ms, "triaged", summary, logger: logger)
            }
        }
    }

    /// Refuses the assignment when it would take the vendor past `capacity`. The advisory lock
    /// (held until the transaction ends) serialises assignments to one vendor across processes,
    /// so the counts read here stay true until this assignment is counted and committed.
    func checkCapacity(_ c: PostgresConnection, _ capacity: CapacityLimit, vendor: String, priority: Priority) async throws {
        let key = "triage-vendor:" + vendor
        try await c.run("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
        let row = try await c.row(
            """
            SELECT COALESCE(SUM(open), 0)::BIGINT AS total,
                COALESCE(SUM(CASE WHEN priority = \(priority.rawValue) THEN open ELSE 0 END), 0)::BIGINT AS ofpriority
            FROM vendorLoad WHERE vendor = \(vendor)
            """, logger: logger)
        let open = try row?.get("total", as: Int.self) ?? 0
        let openOfPriority = try row?.get("ofpriority", as: Int.self) ?? 0
        if let overrun = capacity.overrun(open: open, openOfPriority: openOfPriority) { throw overrun }
    }

    /// Gives the item back after a failure: queued again at `retryAt`, or marked failed.
    public func release(_ item: WorkItem, error: String, retryAt: Date?, now: Date) async throws {
        let id = item.incident.id.rawValue
        try await transaction { c in
            if let retryAt {
                let queued = try await c.run(
                    """
                    UPDATE workItem SET status = 'queued', leaseOwner = NULL, leaseUntil = NULL,
                        availableAt = \(retryAt.millis), lastError = \(error)
                    WHERE incidentId = \(id) AND leaseOwner = \(item.owner)
                    RETURNING 1
                    """, logger: logger)
                if queued > 0, retryAt <= now { try await c.query("NOTIFY triage_work", logger: logger) }
            } else {
                try await c.query(
                    """
                    UPDATE workItem SET status = 'failed', leaseOwner = NULL, leaseUntil = NULL, lastError = \(error)
                    WHERE incidentId = \(id) AND leaseOwner = \(item.owner)
                    """, logger: logger)
                try await PGRows.event(c, id, now.millis, "triage-failed", "gave up after \(item.attempt) attempts", logger: logger)
            }
        }
    }
}
