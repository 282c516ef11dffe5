import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: SLAClockStore {
    /// The earliest pending timer's due instant, if any.
    public func nextTimerDue() async throws -> Date? {
        try await read { c in
            try await c.row("SELECT MIN(dueAt) AS due FROM slaTimer WHERE status = 'pending'", logger: logger)?
                .get("due", as: Int64?.self).map(Date.init(millis:))
        }
    }

    /// Leases up to `limit` due timers, oldest first, with their clocks. `FOR UPDATE SKIP LOCKED`:
    /// instances claiming at once never take the same timer and never wait for each other.
    public func claimDueTimers(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [DueTimer] {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        return try await transaction { c in
            var claimed = try await c.rows(
                """
                UPDATE slaTimer SET leaseOwner = \(owner), leaseUntil = \(until)
                WHERE id IN (
                    SELECT id FROM slaTimer
                    WHERE status = 'pending' AND dueAt <= \(ms) AND (leaseUntil IS NULL OR leaseUntil <= \(ms))
                    ORDER BY dueAt, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id, incidentId, generation, kind, step, occurrence, dueAt
                """, logger: logger
            ).map { row in
                (
                    id: try row.get("id", as: Int64.self), key: try row.get("incidentid", as: String.self),
                    generation: try row.get("generation", as: Int.self), kind: try row.get("kind", as: String.self),
                    step: try row.get("step", as: Int.self), occurrence: try row.get("occurrence", as: Int.self),
                    due: try row.get("dueat", as: Int64.self)
                )
            }
            claimed.sort { ($0.due, $0.id) < ($1.due, $1.id) }  // RETURNING has no order
            // Per incident, read once: its clock, decision and the incident fields notices show.
            let context = try await Self.timerFacts(c, keys: Array(Set(claimed.map(\.key))), logger: logger)
            return claimed.compactMap { row -> DueTimer? in
                guard let incidentID = IncidentID(row.key), let kind = SLATimer.Kind(rawValue: row.kind) else { return nil }
                let known = context[row.key]
                return DueTimer(
                    id: row.id, incidentID: incidentID, generation: row.generation,
                    timer: PlannedTimer(target: kind, step: row.step, occurrence: row.occurrence, dueAt: Date(millis: row.due)),
                    clock: known?.clock ?? nil, vendor: known?.vendor ?? nil, priority: known?.priority ?? nil,
                    incident: known?.incident ?? nil)
            }
        }
    }

    /// Commits the firings in one transaction. Each timer is marked fired only while this owner
    /// still holds its lease (`UPDATE … WHERE leaseOwner = owner RETURNING`); a timer another
    /// instance took over is skipped with all its effects, so each step fires once.
    public func recordFired(_ outcomes: [FiredTimer], owner: String, now: Date) async throws {
        guard !outcomes.isEmpty else { return }
        let ms = now.millis
        // Grouped by incident, keeping each incident's order: instances lock decisions in one order.
        let ordered = outcomes.enumerated()
            .sorted { ($0.element.incidentID.rawValue, $0.offset) < ($1.element.incidentID.rawValue, $1.offset) }
            .map(\.element)
        try await transaction { c in
            var queued = false
            var planned = false
            for outcome in ordered {
                guard let marked = try await c.row(
                    """
                    UPDATE slaTimer SET status = \(outcome.status.rawValue), firedAt = \(ms), late = \(outcome.late ? 1 : 0),
                        leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = \(outcome.id) AND status = 'pending' AND leaseOwner = \(owner)
                    RETURNING label
                    """, logger: logger)
                else { continue }  // Lost the lease (another instance fired it) or stopped meanwhile: no effect at all.
                let key = outcome.incidentID.rawValue
                for event in outcome.events { try await PGRows.event(c, key, ms, event.kind, event.detail, logger: logger) }
                for message in outcome.outbox {
                    try await c.query(
                        """
                        INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts,
                            nextAttemptAt, createdAt, method)
                        VALUES (\(message.id), \(key), \(message.vendor), \(message.endpoint), \(Data(message.body)), 'pending', 0,
                            \(ms), \(ms), \(message.method))
                        ON CONFLICT (id) DO NOTHING
                        """, logger: logger)
                    queued = true
                }
                if outcome.raisePriorityTo != nil || !outcome.tags.isEmpty {
                    try await Self.amendDecision(
                        c, incidentID: key, priority: outcome.raisePriorityTo, tags: outcome.tags, logger: logger)
                }
                if let next = outcome.repetition {
                    let label = try marked.get("label", as: String?.self)
                    try await PGClockRows.insert(
                        c, incidentID: key, generation: outcome.generation, timers: [next], snapshot: nil, label: label,
                        logger: logger)
                    planned = true
                }
            }
            if queued { try await c.query("NOTIFY triage_outbox", logger: logger) }
            if planned { try await c.query("NOTIFY triage_timers", logger: logger) }
        }
    }

    /// Clocks whose timers must be planned again (a pause ended), up to `limit`.
    public func clocksToReplan(limit: Int) async throws -> [SLAClockRecord] {
        try await read { c in
            let ids = try await c.rows(
                "SELECT incidentId AS id FROM slaClock WHERE replan = 1 ORDER BY updatedAt, incidentId LIMIT \(limit)",
                logger: logger
            ).map { try $0.get("id", as: String.self) }
            return try await Self.slaClockRecords(c, ids: ids, logger: logger)
        }
    }

    /// Replaces the clock's pending timers, if it is still at `record.generation` and still due a
    /// replan; the clock row is locked first, so of two instances replanning at once one does it.
    public func replan(_ record: SLAClockRecord, timers: [PlannedTimer], acknowledgeBy: Date?, resolveBy: Date?) async throws {
        let key = record.incidentID.rawValue
        try await transaction { c in
            guard let row = try await c.row(
                "SELECT generation, replan FROM slaClock WHERE incidentId = \(key) FOR UPDATE", logger: logger),
                try row.get("generation", as: Int.self) == record.generation, try row.get("replan", as: Int.self) == 1
            else { return }
            try await c.query(
                """
                UPDATE slaClock SET replan = 0, acknowledgeDueAt = \(acknowledgeBy?.millis), resolveDueAt = \(resolveBy?.millis)
                WHERE incidentId = \(key)
                """, logger: logger)
            try await c.query(
                """
                DELETE FROM slaTimer WHERE incidentId = \(key) AND generation = \(record.generation)
                    AND status IN ('pending', 'stopped')
                """, logger: logger)
            try await PGClockRows.insert(
                c, incidentID: key, generation: record.generation, timers: timers, snapshot: record.snapshot, logger: logger)
            if !timers.isEmpty { try await c.query("NOTIFY triage_timers", logger: logger) }
        }
    }

    /// Pauses the incident's clocks; `false` if it has no running clock or is paused already.
    public func pauseClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool {
        try await transaction { c in
            guard try await PGClockRows.pause(c, incidentID: id.rawValue, at: at, by: "api", logger: logger) else { return false }
            try await PGRows.event(c, id.rawValue, at.millis, "sla-paused", reason, logger: logger)
            return true
        }
    }

    /// Resumes paused clocks: the pause joins the clock's pauses and a replan is due.
    public func resumeClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool {
        try await transaction { c in
            guard try await PGClockRows.resume(c, incidentID: id.rawValue, at: at, logger: logger) else { return false }
            try await PGRows.event(c, id.rawValue, at.millis, "sla-resumed", reason, logger: logger)
            return true
        }
    }

    /// Running clocks whose next deadline falls before `before`, soonest first.
    public func clocksDue(before: Date, limit: Int) async throws -> [SLAClockRecord] {
        try await read { c in
            let ids = try await c.rows(
                """
                SELECT incidentId AS id FROM slaClock
                WHERE LEAST(COALESCE(acknowledgeDueAt, resolveDueAt), COALESCE(resolveDueAt, acknowledgeDueAt)) < \(before.millis)
                ORDER BY LEAST(COALESCE(acknowledgeDueAt, resolveDueAt), COALESCE(resolveDueAt, acknowledgeDueAt)), incidentId
                LIMIT \(limit)
                """, logger: logger
            ).map { try $0.get("id", as: String.self) }
            return try await Self.slaClockRecords(c, ids: ids, logger: logger)
        }
    }

    /// What firing a timer needs about its incident: the clock (without its fired keys, which
    /// firing does not need), the decision, and the incident fields notices show.
    typealias TimerFacts = (clock: SLAClockRecord?, vendor: String?, priority: Priority?, incident: Incident?)

    /// The facts of each incident in `keys`, in one query.
    static func timerFacts(_ c: PostgresConnection, keys: [String], logger: Logger) async throws -> [String: TimerFacts] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await c.rows(
            """
            SELECT i.id, c.generation, c.snapshot, c.state, c.acknowledgeDueAt, c.resolveDueAt,
                i.title, i.source, i.externalId, i.severity, i.dedupKey, i.receivedAt, i.rawPayloadId,
                d.vendor, d.priority
            FROM incident i LEFT JOIN slaClock c ON c.incidentId = i.id LEFT JOIN decision d ON d.incidentId = i.id
            WHERE i.id = ANY(\(keys))
            """, logger: logger)
        var snapshots: [String: SLASnapshot] = [:]  // incidents under the same terms share one decode
        var facts: [String: TimerFacts] = [:]
        for row in rows {
            let key = try row.get("id", as: String.self)
            guard let incidentID = IncidentID(key) else { continue }
            var clock: SLAClockRecord?
            if let text = try row.get("snapshot", as: String?.self), let stateText = try row.get("state", as: String?.self),
                let generation = try row.get("generation", as: Int?.self)
            {
                let snapshot = snapshots[text] ?? (try? PGClockRows.decoder.decode(SLASnapshot.self, from: Data(text.utf8)))
                if let snapshot, snapshots.count < 1024 { snapshots[text] = snapshot }
                if let snapshot, let state = try? PGClockRows.decoder.decode(SLAClockState.self, from: Data(stateText.utf8)) {
                    clock = SLAClockRecord(
                        incidentID: incidentID, generation: generation, snapshot: snapshot, state: state,
                        acknowledgeBy: try row.get("acknowledgedueat", as: Int64?.self).map(Date.init(millis:)),
                        resolveBy: try row.get("resolvedueat", as: Int64?.self).map(Date.init(millis:)),
                        title: try row.get("title", as: String.self))
                }
            }
            let draft = IncidentDraft(
                source: try row.get("source"), externalID: try row.get("externalid"), dedupKey: try row.get("dedupkey"),
                title: try row.get("title"), severity: Severity(rawValue: try row.get("severity")) ?? .unknown)
            let incident = Incident(
                id: incidentID, draft: draft, receivedAt: Date(millis: try row.get("receivedat")),
                rawPayloadID: try row.get("rawpayloadid"))
            let priority = try row.get("priority", as: String?.self).flatMap(Priority.init(rawValue:))
            facts[key] = (clock, try row.get("vendor", as: String?.self), priority, incident)
        }
        return facts
    }

    /// The clocks of `ids` with their fired keys, in the order of `ids` (clocks that no longer
    /// exist or do not decode are left out); two queries for all of them.
    static func slaClockRecords(_ c: PostgresConnection, ids: [String], logger: Logger) async throws -> [SLAClockRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try await c.rows(
            """
            SELECT c.incidentId AS id, c.generation, c.snapshot, c.state, c.acknowledgeDueAt, c.resolveDueAt, i.title
            FROM slaClock c JOIN incident i ON i.id = c.incidentId WHERE c.incidentId = ANY(\(ids))
            """, logger: logger)
        var records: [String: SLAClockRecord] = [:]
        for row in rows {
            let key = try row.get("id", as: String.self)
            let snapshotText = try row.get("snapshot", as: String.self)
            let stateText = try row.get("state", as: String.self)
            guard let incidentID = IncidentID(key),
                let snapshot = try? PGClockRows.decoder.decode(SLASnapshot.self, from: Data(snapshotText.utf8)),
                let state = try? PGClockRows.decoder.decode(SLAClockState.self, from: Data(stateText.utf8))
            else { continue }
            records[key] = SLAClockRecord(
                incidentID: incidentID, generation: try row.get("generation"), snapshot: snapshot, state: state,
                acknowledgeBy: try row.get("acknowledgedueat", as: Int64?.self).map(Date.init(millis:)),
                resolveBy: try row.get("resolvedueat", as: Int64?.self).map(Date.init(millis:)), title: try row.get("title"))
        }
        let keys = Array(records.keys)
        let generations = keys.map { records[$0]?.generation ?? 0 }
        let fired = try await c.rows(
            """
            SELECT t.incidentId AS id, t.kind, t.step, t.occurrence FROM slaTimer t
            JOIN unnest(\(keys)::text[], \(generations)::bigint[]) AS g(id, generation)
                ON t.incidentId = g.id AND t.generation = g.generation
            WHERE t.status = 'fired'
            """, logger: logger)
        for row in fired {
            let key = try row.get("id", as: String.self)
            let kind = try row.get("kind", as: String.self)
            let step = try row.get("step", as: Int.self)
            records[key]?.fired.insert("\(kind)/\(step)/\(try row.get("occurrence", as: Int.self))")
        }
        return ids.compactMap { records[$0] }
    }

    /// Raises the decision's priority and adds tags, keeping its JSON body and columns in step
    /// (the decision row locked while it is read and written).
    static func amendDecision(
        _ c: PostgresConnection, incidentID key: String, priority: Priority?, tags: [String], logger: Logger
    ) async throws {
        guard let body = try await c.row("SELECT body FROM decision WHERE incidentId = \(key) FOR UPDATE", logger: logger)?
            .get("body", as: String.self),
            var decision = try? JSONDecoder().decode(Decision.self, from: Data(body.utf8))
        else { return }
        if let priority { decision.priority = priority }
        var all = decision.tags ?? []
        for tag in tags where !all.contains(tag) { all.append(tag) }
        decision.tags = all.isEmpty ? nil : all
        let text = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
        try await c.query(
            "UPDATE decision SET body = \(text), priority = \(decision.priority.rawValue) WHERE incidentId = \(key)",
            logger: logger)
    }
}
