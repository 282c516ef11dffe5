import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore {
    /// Writes triaged incidents with running SLA clocks directly, in one transaction: what
    /// `triage bench timers` uses to build a million active timers in seconds rather than through
    /// webhooks. The rows are the same the worker writes (incident, decision, clock, timers); each
    /// table gets one statement over `unnest` arrays, so a batch is a handful of round trips.
    /// The incidents must be new (their clocks start at generation 1).
    public func seedClocks(_ clocks: [(id: IncidentID, title: String, clock: SLAClockStart)], now: Date) async throws {
        guard !clocks.isEmpty else { return }
        let ms = now.millis
        let none = Int64.min  // stands for NULL in the deadline arrays
        var ids: [String] = []
        var titles: [String] = []
        var priorities: [String] = []
        var vendors: [String] = []
        var bodies: [String] = []
        var snapshots: [String] = []
        var states: [String] = []
        var acknowledgeDues: [Int64] = []
        var resolveDues: [Int64] = []
        var starts: [Int64] = []
        var timers = (ids: [String](), kinds: [String](), steps: [Int](), occurrences: [Int](), dues: [Int64](), labels: [String]())
        for (id, title, clock) in clocks {
            let body = Decision(
                incidentID: id, decidedAt: now, category: nil, priority: clock.snapshot.priority,
                vendor: clock.snapshot.vendor, abstained: false, matchedRules: [], sla: nil, explanation: ["seeded"])
            ids.append(id.rawValue)
            titles.append(title)
            priorities.append(clock.snapshot.priority.rawValue)
            vendors.append(clock.snapshot.vendor)
            bodies.append(String(decoding: try JSONEncoder.sorted.encode(body), as: UTF8.self))
            snapshots.append(try PGClockRows.json(clock.snapshot))
            states.append(try PGClockRows.json(clock.state))
            acknowledgeDues.append(clock.acknowledgeBy?.millis ?? none)
            resolveDues.append(clock.resolveBy?.millis ?? none)
            starts.append(clock.state.startedAt.millis)
            for timer in clock.timers {
                timers.ids.append(id.rawValue)
                timers.kinds.append(timer.target.rawValue)
                timers.steps.append(timer.step)
                timers.occurrences.append(timer.occurrence)
                timers.dues.append(timer.dueAt.millis)
                timers.labels.append(Self.seedLabel(timer, snapshot: clock.snapshot))
            }
        }
        try await transaction { c in
            guard let raw = try await c.row(
                """
                INSERT INTO rawPayload (source, contentType, body, receivedAt) VALUES ('bench', NULL, ''::bytea, \(ms))
                RETURNING id
                """, logger: logger)?.get("id", as: Int64.self)
            else { return }
            try await c.query(
                """
                INSERT INTO incident (id, source, dedupKey, title, description, severity, labels, status, occurredAt,
                    receivedAt, updatedAt, rawPayloadId)
                SELECT t.id, 'bench', t.id, t.title, '', 'error', '{}', 'assigned', \(ms), \(ms), \(ms), \(raw)
                FROM unnest(\(ids)::text[], \(titles)::text[]) AS t(id, title)
                """, logger: logger)
            try await c.query(
                """
                INSERT INTO decision (incidentId, decidedAt, category, priority, vendor, abstained, body)
                SELECT t.id, \(ms), NULL, t.priority, t.vendor, 0, t.body
                FROM unnest(\(ids)::text[], \(priorities)::text[], \(vendors)::text[], \(bodies)::text[])
                    AS t(id, priority, vendor, body)
                """, logger: logger)
            try await c.query(
                """
                INSERT INTO slaClock (incidentId, generation, vendor, snapshot, state, acknowledgeDueAt, resolveDueAt,
                    pausedBy, replan, updatedAt, startedAt)
                SELECT t.id, 1, t.vendor, t.snapshot, t.state, NULLIF(t.acknowledgeDue, \(none)), NULLIF(t.resolveDue, \(none)),
                    NULL, 0, \(ms), t.startedAt
                FROM unnest(\(ids)::text[], \(vendors)::text[], \(snapshots)::text[], \(states)::text[],
                    \(acknowledgeDues)::bigint[], \(resolveDues)::bigint[], \(starts)::bigint[])
                    AS t(id, vendor, snapshot, state, acknowledgeDue, resolveDue, startedAt)
                """, logger: logger)
            guard !timers.ids.isEmpty else { return }
            try await c.query(
                """
                INSERT INTO slaTimer (incidentId, generation, kind, step, occurrence, dueAt, status, label)
                SELECT t.id, 1, t.kind, t.step, t.occurrence, t.dueAt, 'pending', NULLIF(t.label, '')
                FROM unnest(\(timers.ids)::text[], \(timers.kinds)::text[], \(timers.steps)::bigint[],
                    \(timers.occurrences)::bigint[], \(timers.dues)::bigint[], \(timers.labels)::text[])
                    AS t(id, kind, step, occurrence, dueAt, label)
                ON CONFLICT (incidentId, generation, kind, step, occurrence) DO NOTHING
                """, logger: logger)
            try await c.query("NOTIFY triage_timers", logger: logger)
        }
    }

    /// A timer's label as the worker writes it (`resolve 75%`, `resolve deadline`); empty for none.
    static func seedLabel(_ timer: PlannedTimer, snapshot: SLASnapshot) -> String {
        if timer.step == SLASchedule.deadlineStep { return "\(timer.target.rawValue) deadline" }
        return snapshot.steps.indices.contains(timer.step) ? snapshot.steps[timer.step].label : ""
    }

    /// Fired timers' lag behind their due instant, in milliseconds (for `triage bench timers`).
    public func firedTimerLags() async throws -> [Int64] {
        try await read { c in
            try await c.rows("SELECT firedAt - dueAt AS lag FROM slaTimer WHERE status = 'fired' ORDER BY 1", logger: logger)
                .map { try $0.get("lag", as: Int64.self) }
        }
    }

    /// Timers by status.
    public func timerCounts() async throws -> [String: Int] {
        try await read { c in
            var counts: [String: Int] = [:]
            for row in try await c.rows("SELECT status, COUNT(*) AS n FROM slaTimer GROUP BY status", logger: logger) {
                counts[try row.get("status", as: String.self)] = try row.get("n", as: Int.self)
            }
            return counts
        }
    }

    /// Moves pending timers due before `before` by `seconds` (the benchmark seeds them at a fixed
    /// base, then shifts them to start just after it is ready); watchers are told to look again.
    public func shiftPendingTimers(dueBefore before: Date, by seconds: TimeInterval) async throws {
        try await transaction { c in
            try await c.query(
                """
                UPDATE slaTimer SET dueAt = dueAt + \(Int64((seconds * 1000).rounded()))
                WHERE status = 'pending' AND dueAt < \(before.millis)
                """, logger: logger)
            try await c.query("NOTIFY triage_timers", logger: logger)
        }
    }
}
