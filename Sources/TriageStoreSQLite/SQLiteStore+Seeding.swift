import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore {
    /// Writes triaged incidents with running SLA clocks directly, in one transaction: what
    /// `triage bench timers` uses to build a million active timers in seconds rather than through
    /// webhooks. The rows are the same the worker writes (incident, decision, clock, timers).
    public func seedClocks(_ clocks: [(id: IncidentID, title: String, clock: SLAClockStart)], now: Date) async throws {
        let ms = now.millis
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO rawPayload (source, contentType, body, receivedAt) VALUES ('bench', NULL, x'', ?)",
                arguments: [ms])
            let raw = db.lastInsertedRowID
            let incident = try db.cachedStatement(
                sql: """
                    INSERT INTO incident (id, source, dedupKey, title, description, severity, labels, status, occurredAt,
                        receivedAt, updatedAt, rawPayloadId)
                    VALUES (?, 'bench', ?, ?, '', 'error', '{}', 'assigned', ?, ?, ?, ?)
                    """)
            let decision = try db.cachedStatement(
                sql: """
                    INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                    VALUES (?, ?, NULL, ?, ?, 0, ?)
                    """)
            for (id, title, clock) in clocks {
                try incident.execute(arguments: [id.rawValue, id.rawValue, title, ms, ms, ms, raw])
                let body = Decision(
                    incidentID: id, decidedAt: now, category: nil, priority: clock.snapshot.priority,
                    vendor: clock.snapshot.vendor, abstained: false, matchedRules: [], sla: nil, explanation: ["seeded"])
                try decision.execute(arguments: [
                    id.rawValue, ms, clock.snapshot.priority.rawValue, clock.snapshot.vendor,
                    String(decoding: try JSONEncoder.sorted.encode(body), as: UTF8.self),
                ])
                try SLAClockRows.start(db, incidentID: id.rawValue, clock: clock, now: now)
            }
        }
    }

    /// Fired timers' lag behind their due instant, in milliseconds (for `triage bench timers`).
    public func firedTimerLags() async throws -> [Int64] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT firedAt - dueAt FROM slaTimer WHERE status = 'fired' ORDER BY 1")
        }
    }

    /// Timers by status.
    public func timerCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM slaTimer GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }
}

extension SQLiteStore {
    /// Moves pending timers due before `before` by `seconds` (the benchmark seeds them at a fixed
    /// base, then shifts them to start just after it is ready).
    public func shiftPendingTimers(dueBefore before: Date, by seconds: TimeInterval) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE slaTimer SET dueAt = dueAt + ? WHERE status = 'pending' AND dueAt < ?",
                arguments: [Int64((seconds * 1000).rounded()), before.millis])
        }
    }
}
