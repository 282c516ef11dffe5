import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

/// The SQL of SLA clocks shared by triage, reassignment, lifecycle updates and the watcher; the
/// same steps as the SQLite store's `SLAClockRows`. Callers hold the incident's row lock
/// (`SELECT … FOR UPDATE` on `slaClock` is taken here), so concurrent instances change one
/// clock one at a time.
enum PGClockRows {
    static let decoder = JSONDecoder()

    /// Starts (or, on reassignment, restarts under a new generation) the incident's clocks and
    /// their first timers; timers of the previous generation stop.
    static func start(_ c: PostgresConnection, incidentID id: String, clock: SLAClockStart, now: Date, logger: Logger) async throws {
        let previous = try await c.row(
            "SELECT generation FROM slaClock WHERE incidentId = \(id) FOR UPDATE", logger: logger)?.get("generation", as: Int.self)
        let generation = (previous ?? 0) + 1
        if previous != nil {
            // The previous vendor's turn ends here; reports keep it.
            try await c.query(
                """
                INSERT INTO slaClockHistory (incidentId, generation, vendor, snapshot, state, startedAt, endedAt)
                SELECT incidentId, generation, vendor, snapshot, state, COALESCE(startedAt, updatedAt), \(now.millis)
                FROM slaClock WHERE incidentId = \(id)
                ON CONFLICT (incidentId, generation) DO UPDATE SET vendor = excluded.vendor, snapshot = excluded.snapshot,
                    state = excluded.state, startedAt = excluded.startedAt, endedAt = excluded.endedAt
                """, logger: logger)
            try await c.query(
                """
                UPDATE slaTimer SET status = 'stopped', leaseOwner = NULL, leaseUntil = NULL
                WHERE incidentId = \(id) AND status = 'pending'
                """, logger: logger)
        }
        let snapshot = try json(clock.snapshot)
        let state = try json(clock.state)
        try await c.query(
            """
            INSERT INTO slaClock (incidentId, generation, vendor, snapshot, state, acknowledgeDueAt, resolveDueAt,
                pausedBy, replan, updatedAt, startedAt)
            VALUES (\(id), \(generation), \(clock.snapshot.vendor), \(snapshot), \(state), \(clock.acknowledgeBy?.millis),
                \(clock.resolveBy?.millis), NULL, 0, \(now.millis), \(clock.state.startedAt.millis))
            ON CONFLICT (incidentId) DO UPDATE SET generation = excluded.generation, vendor = excluded.vendor,
                snapshot = excluded.snapshot, state = excluded.state, acknowledgeDueAt = excluded.acknowledgeDueAt,
                resolveDueAt = excluded.resolveDueAt, pausedBy = NULL, replan = 0, updatedAt = excluded.updatedAt,
                startedAt = excluded.startedAt
            """, logger: logger)
        try await insert(c, incidentID: id, generation: generation, timers: clock.timers, snapshot: clock.snapshot, logger: logger)
        if !clock.timers.isEmpty { try await c.query("NOTIFY triage_timers", logger: logger) }
    }

    /// Inserts timers, each labelled from `snapshot` (`resolve 75%`, `resolve deadline`) or `label`;
    /// one statement for all of them.
    static func insert(
        _ c: PostgresConnection, incidentID id: String, generation: Int, timers: [PlannedTimer], snapshot: SLASnapshot?,
        label: String? = nil, logger: Logger
    ) async throws {
        guard !timers.isEmpty else { return }
        var kinds: [String] = []
        var steps: [Int] = []
        var occurrences: [Int] = []
        var dues: [Int64] = []
        var labels: [String] = []
        for timer in timers {
            let name: String?
            if timer.step == SLASchedule.deadlineStep {
                name = "\(timer.target.rawValue) deadline"
            } else if let snapshot, snapshot.steps.indices.contains(timer.step) {
                name = snapshot.steps[timer.step].label
            } else {
                name = label
            }
            kinds.append(timer.target.rawValue)
            steps.append(timer.step)
            occurrences.append(timer.occurrence)
            dues.append(timer.dueAt.millis)
            labels.append(name ?? "")
        }
        try await c.query(
            """
            INSERT INTO slaTimer (incidentId, generation, kind, step, occurrence, dueAt, status, label)
            SELECT \(id), \(generation), t.kind, t.step, t.occurrence, t.dueAt, 'pending', NULLIF(t.label, '')
            FROM unnest(\(kinds)::text[], \(steps)::bigint[], \(occurrences)::bigint[], \(dues)::bigint[], \(labels)::text[])
                AS t(kind, step, occurrence, dueAt, label)
            ON CONFLICT (incidentId, generation, kind, step, occurrence) DO NOTHING
            """, logger: logger)
    }

    /// The vendor acknowledged: the acknowledge clock and its steps stop.
    static func acknowledged(_ c: PostgresConnection, incidentID id: String, at: Date, logger: Logger) async throws {
        try await update(c, incidentID: id, logger: logger) { state in
            if state.acknowledgedAt == nil { state.acknowledgedAt = at }
        }
        try await c.query("UPDATE slaClock SET acknowledgeDueAt = NULL WHERE incidentId = \(id)", logger: logger)
        try await c.query(
            "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = \(id) AND kind = 'acknowledge' AND status = 'pending'",
            logger: logger)
    }

    /// Resolved: every clock stops.
    static func resolved(_ c: PostgresConnection, incidentID id: String, at: Date, logger: Logger) async throws {
        try await update(c, incidentID: id, logger: logger) { state in
            if state.resolvedAt == nil { state.resolvedAt = at }
            if let since = state.pausedSince {
                state.pauses.append(since..<max(since, at))
                state.pausedSince = nil
            }
        }
        try await c.query(
            """
            UPDATE slaClock SET acknowledgeDueAt = NULL, resolveDueAt = NULL, pausedBy = NULL, replan = 0
            WHERE incidentId = \(id)
            """, logger: logger)
        try await c.query("UPDATE slaTimer SET status = 'stopped' WHERE incidentId = \(id) AND status = 'pending'", logger: logger)
    }

    /// A resolved incident reopened: its clocks go on from where they stopped, the time it spent
    /// resolved counted as a pause; the watcher plans the remaining timers.
    static func reopened(_ c: PostgresConnection, incidentID id: String, at: Date, logger: Logger) async throws -> Bool {
        guard var state = try await lockedState(c, id, logger: logger), let resolved = state.resolvedAt else { return false }
        state.pauses.append(resolved..<max(resolved, at))
        state.resolvedAt = nil
        try await c.query(
            "UPDATE slaClock SET state = \(try json(state)), replan = 1, updatedAt = \(at.millis) WHERE incidentId = \(id)",
            logger: logger)
        try await c.query("NOTIFY triage_timers", logger: logger)
        return true
    }

    /// Pauses running clocks (`by`: `status` when the source's status asked, else `api`).
    static func pause(_ c: PostgresConnection, incidentID id: String, at: Date, by: String, logger: Logger) async throws -> Bool {
        guard var state = try await lockedState(c, id, logger: logger), state.pausedSince == nil, state.resolvedAt == nil
        else { return false }
        state.pausedSince = at
        try await c.query(
            """
            UPDATE slaClock SET state = \(try json(state)), pausedBy = \(by), acknowledgeDueAt = NULL, resolveDueAt = NULL,
                replan = 0, updatedAt = \(at.millis) WHERE incidentId = \(id)
            """, logger: logger)
        try await c.query("UPDATE slaTimer SET status = 'stopped' WHERE incidentId = \(id) AND status = 'pending'", logger: logger)
        return true
    }

    /// Ends a pause; the watcher plans the timers again (that needs the calendar).
    static func resume(_ c: PostgresConnection, incidentID id: String, at: Date, logger: Logger) async throws -> Bool {
        guard var state = try await lockedState(c, id, logger: logger), let since = state.pausedSince else { return false }
        state.pauses.append(since..<max(since, at))
        state.pausedSince = nil
        try await c.query(
            """
            UPDATE slaClock SET state = \(try json(state)), pausedBy = NULL, replan = 1, updatedAt = \(at.millis)
            WHERE incidentId = \(id)
            """, logger: logger)
        try await c.query("NOTIFY triage_timers", logger: logger)
        return true
    }

    /// A source update carried a status: pause when the terms say it pauses, resume a pause it started.
    static func sourceStatus(
        _ c: PostgresConnection, incidentID id: String, status: String?, at: Date, logger: Logger
    ) async throws -> String? {
        guard let row = try await c.row(
            "SELECT snapshot, pausedBy FROM slaClock WHERE incidentId = \(id) FOR UPDATE", logger: logger),
            let snapshot = try? decoder.decode(SLASnapshot.self, from: Data(try row.get("snapshot", as: String.self).utf8))
        else { return nil }
        let pausing = status.map { value in snapshot.pauseOn.contains { $0.lowercased() == value.lowercased() } } ?? false
        let pausedBy = try row.get("pausedby", as: String?.self)
        if pausing, pausedBy == nil, try await pause(c, incidentID: id, at: at, by: "status", logger: logger) {
            return "SLA clocks paused: status '\(status ?? "")' pauses them under \(snapshot.source)"
        }
        if !pausing, pausedBy == "status", try await resume(c, incidentID: id, at: at, logger: logger) {
            return "SLA clocks resumed: status is now '\(status ?? "none")'"
        }
        return nil
    }

    static func update(
        _ c: PostgresConnection, incidentID id: String, logger: Logger, _ change: (inout SLAClockState) -> Void
    ) async throws {
        guard var state = try await lockedState(c, id, logger: logger) else { return }
        change(&state)
        try await c.query("UPDATE slaClock SET state = \(try json(state)) WHERE incidentId = \(id)", logger: logger)
    }

    /// The clock's state, its row locked until the transaction ends.
    static func lockedState(_ c: PostgresConnection, _ id: String, logger: Logger) async throws -> SLAClockState? {
        guard let text = try await c.row("SELECT state FROM slaClock WHERE incidentId = \(id) FOR UPDATE", logger: logger)?
            .get("state", as: String.self)
        else { return nil }
        return try? decoder.decode(SLAClockState.self, from: Data(text.utf8))
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}
