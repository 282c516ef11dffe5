import Foundation
import GRDB
import TriageCore
import TriageEngine

/// The SQL of SLA clocks shared by triage, reassignment, lifecycle updates and the watcher.
enum SLAClockRows {
    static let encoder = JSONEncoder.sorted
    static let decoder = JSONDecoder()

    /// Starts (or, on reassignment, restarts under a new generation) the incident's clocks and
    /// their first timers; timers of the previous generation stop.
    static func start(_ db: Database, incidentID id: String, clock: SLAClockStart, now: Date) throws {
        let previous = try Int.fetchOne(db, sql: "SELECT generation FROM slaClock WHERE incidentId = ?", arguments: [id])
        let generation = (previous ?? 0) + 1
        if previous != nil {
            // The previous vendor's turn ends here; reports keep it.
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO slaClockHistory (incidentId, generation, vendor, snapshot, state, startedAt, endedAt)
                    SELECT incidentId, generation, vendor, snapshot, state, COALESCE(startedAt, updatedAt), ? FROM slaClock
                    WHERE incidentId = ?
                    """, arguments: [now.millis, id])
        }
        try db.execute(
            sql: "UPDATE slaTimer SET status = 'stopped', leaseOwner = NULL, leaseUntil = NULL WHERE incidentId = ? AND status = 'pending'",
            arguments: [id])
        try db.execute(
            sql: """
                INSERT INTO slaClock (incidentId, generation, vendor, snapshot, state, acknowledgeDueAt, resolveDueAt,
                    pausedBy, replan, updatedAt, startedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)
                ON CONFLICT (incidentId) DO UPDATE SET generation = excluded.generation, vendor = excluded.vendor,
                    snapshot = excluded.snapshot, state = excluded.state, acknowledgeDueAt = excluded.acknowledgeDueAt,
                    resolveDueAt = excluded.resolveDueAt, pausedBy = NULL, replan = 0, updatedAt = excluded.updatedAt,
                    startedAt = excluded.startedAt
                """,
            arguments: [
                id, generation, clock.snapshot.vendor, try json(clock.snapshot), try json(clock.state),
                clock.acknowledgeBy?.millis, clock.resolveBy?.millis, now.millis, clock.state.startedAt.millis,
            ])
        try insert(db, incidentID: id, generation: generation, timers: clock.timers, snapshot: clock.snapshot)
    }

    /// Inserts timers, each labelled from `snapshot` (`resolve 75%`, `resolve deadline`) or `label`.
    static func insert(
        _ db: Database, incidentID id: String, generation: Int, timers: [PlannedTimer], snapshot: SLASnapshot?,
        label: String? = nil
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO slaTimer (incidentId, generation, kind, step, occurrence, dueAt, status, label)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
                ON CONFLICT (incidentId, generation, kind, step, occurrence) DO NOTHING
                """)
        for timer in timers {
            let name: String?
            if timer.step == SLASchedule.deadlineStep {
                name = "\(timer.target.rawValue) deadline"
            } else if let snapshot, snapshot.steps.indices.contains(timer.step) {
                name = snapshot.steps[timer.step].label
            } else {
                name = label
            }
            try statement.execute(arguments: [
                id, generation, timer.target.rawValue, timer.step, timer.occurrence, timer.dueAt.millis, name,
            ])
        }
    }

    /// The vendor acknowledged: the acknowledge clock and its steps stop.
    static func acknowledged(_ db: Database, incidentID id: String, at: Date) throws {
        try update(db, incidentID: id) { state in
            if state.acknowledgedAt == nil { state.acknowledgedAt = at }
        }
        try db.execute(sql: "UPDATE slaClock SET acknowledgeDueAt = NULL WHERE incidentId = ?", arguments: [id])
        try db.execute(
            sql: "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = ? AND kind = 'acknowledge' AND status = 'pending'",
            arguments: [id])
    }

    /// Resolved: every clock stops.
    static func resolved(_ db: Database, incidentID id: String, at: Date) throws {
        try update(db, incidentID: id) { state in
            if state.resolvedAt == nil { state.resolvedAt = at }
            if let since = state.pausedSince {
                state.pauses.append(since..<max(since, at))
                state.pausedSince = nil
            }
        }
        try db.execute(
            sql: "UPDATE slaClock SET acknowledgeDueAt = NULL, resolveDueAt = NULL, pausedBy = NULL, replan = 0 WHERE incidentId = ?",
            arguments: [id])
        try db.execute(sql: "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = ? AND status = 'pending'", arguments: [id])
    }

    /// A resolved incident reopened: its clocks go on from where they stopped, the time it spent
    /// resolved counted as a pause; the watcher plans the remaining timers.
    static func reopened(_ db: Database, incidentID id: String, at: Date) throws -> Bool {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM slaClock WHERE incidentId = ?", arguments: [id]),
            var state = try? decoder.decode(SLAClockState.self, from: Data(text.utf8)),
            let resolved = state.resolvedAt
        else { return false }
        state.pauses.append(resolved..<max(resolved, at))
        state.resolvedAt = nil
        try db.execute(
            sql: "UPDATE slaClock SET state = ?, replan = 1, updatedAt = ? WHERE incidentId = ?",
            arguments: [try json(state), at.millis, id])
        return true
    }

    /// Pauses running clocks (`by`: `status` when the source's status asked, else `api`).
    static func pause(_ db: Database, incidentID id: String, at: Date, by: String) throws -> Bool {
        guard let row = try Row.fetchOne(db, sql: "SELECT state FROM slaClock WHERE incidentId = ?", arguments: [id]),
            var state = try? decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8)),
            state.pausedSince == nil, state.resolvedAt == nil
        else { return false }
        state.pausedSince = at
        try db.execute(
            sql: """
                UPDATE slaClock SET state = ?, pausedBy = ?, acknowledgeDueAt = NULL, resolveDueAt = NULL, replan = 0,
                    updatedAt = ? WHERE incidentId = ?
                """, arguments: [try json(state), by, at.millis, id])
        try db.execute(sql: "UPDATE slaTimer SET status = 'stopped' WHERE incidentId = ? AND status = 'pending'", arguments: [id])
        return true
    }

    /// Ends a pause; the watcher plans the timers again (that needs the calendar).
    static func resume(_ db: Database, incidentID id: String, at: Date) throws -> Bool {
        guard let row = try Row.fetchOne(db, sql: "SELECT state FROM slaClock WHERE incidentId = ?", arguments: [id]),
            var state = try? decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8)),
            let since = state.pausedSince
        else { return false }
        state.pauses.append(since..<max(since, at))
        state.pausedSince = nil
        try db.execute(
            sql: "UPDATE slaClock SET state = ?, pausedBy = NULL, replan = 1, updatedAt = ? WHERE incidentId = ?",
            arguments: [try json(state), at.millis, id])
        return true
    }

    /// A source update carried a status: pause when the terms say it pauses, resume a pause it started.
    static func sourceStatus(_ db: Database, incidentID id: String, status: String?, at: Date) throws -> String? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT snapshot, pausedBy FROM slaClock WHERE incidentId = ?", arguments: [id]),
            let snapshot = try? decoder.decode(SLASnapshot.self, from: Data((row["snapshot"] as String).utf8))
        else { return nil }
        let pausing = status.map { value in snapshot.pauseOn.contains { $0.lowercased() == value.lowercased() } } ?? false
        let pausedBy: String? = row["pausedBy"]
        if pausing, pausedBy == nil, try pause(db, incidentID: id, at: at, by: "status") {
            return "SLA clocks paused: status '\(status ?? "")' pauses them under \(snapshot.source)"
        }
        if !pausing, pausedBy == "status", try resume(db, incidentID: id, at: at) {
            return "SLA clocks resumed: status is now '\(status ?? "none")'"
        }
        return nil
    }

    static func update(_ db: Database, incidentID id: String, _ change: (inout SLAClockState) -> Void) throws {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM slaClock WHERE incidentId = ?", arguments: [id]),
            var state = try? decoder.decode(SLAClockState.self, from: Data(text.utf8))
        else { return }
        change(&state)
        try db.execute(sql: "UPDATE slaClock SET state = ? WHERE incidentId = ?", arguments: [try json(state), id])
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
