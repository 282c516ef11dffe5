import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: SLAClockStore {
    public func nextTimerDue() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(dueAt) FROM slaTimer WHERE status = 'pending'").map(Date.init(millis:))
        }
    }

    public func claimDueTimers(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [DueTimer] {
        let ms = now.millis
        let until = now.addingTimeInterval(lease.timeInterval).millis
        return try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, incidentId, generation, kind, step, occurrence, dueAt FROM slaTimer
                    WHERE status = 'pending' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?)
                    ORDER BY dueAt, id LIMIT ?
                    """, arguments: [ms, ms, limit])
            // Per incident, read once: its clock, decision and the incident fields notices show.
            var context: [String: (clock: SLAClockRecord?, vendor: String?, priority: Priority?, incident: Incident?)] = [:]
            var snapshots = SnapshotCache()
            var timers: [DueTimer] = []
            let lease = try db.cachedStatement(sql: "UPDATE slaTimer SET leaseOwner = ?, leaseUntil = ? WHERE id = ?")
            let facts = try db.cachedStatement(
                sql: """
                    SELECT c.generation, c.snapshot, c.state, c.acknowledgeDueAt, c.resolveDueAt,
                        i.title, i.source, i.externalId, i.severity, i.dedupKey, i.receivedAt, i.rawPayloadId,
                        d.vendor, d.priority
                    FROM incident i LEFT JOIN slaClock c ON c.incidentId = i.id LEFT JOIN decision d ON d.incidentId = i.id
                    WHERE i.id = ?
                    """)
            for row in rows {
                let id: Int64 = row["id"]
                let key: String = row["incidentId"]
                try lease.execute(arguments: [owner, until, id])
                guard let incidentID = IncidentID(key), let kind = SLATimer.Kind(rawValue: row["kind"]) else { continue }
                if context[key] == nil {
                    context[key] = try Row.fetchOne(facts, arguments: [key]).map { fact in
                        Self.facts(fact, incidentID: incidentID, snapshots: &snapshots)
                    } ?? (nil, nil, nil, nil)
                }
                let known = context[key]
                timers.append(
                    DueTimer(
                        id: id, incidentID: incidentID, generation: row["generation"],
                        timer: PlannedTimer(
                            target: kind, step: row["step"], occurrence: row["occurrence"], dueAt: Date(millis: row["dueAt"])),
                        clock: known?.clock ?? nil, vendor: known?.vendor ?? nil, priority: known?.priority ?? nil,
                        incident: known?.incident ?? nil))
            }
            return timers
        }
    }

    public func recordFired(_ outcomes: [FiredTimer], owner: String, now: Date) async throws {
        guard !outcomes.isEmpty else { return }
        let ms = now.millis
        try await pool.write { db in
            let mark = try db.cachedStatement(
                sql: """
                    UPDATE slaTimer SET status = ?, firedAt = ?, late = ?, leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = ? AND status = 'pending' AND leaseOwner = ?
                    """)
            for outcome in outcomes {
                try mark.execute(arguments: [outcome.status.rawValue, ms, outcome.late ? 1 : 0, outcome.id, owner])
                // Lost the lease (another instance fired it) or stopped meanwhile: no effect at all.
                guard db.changesCount == 1 else { continue }
                let key = outcome.incidentID.rawValue
                for event in outcome.events { try Self.event(db, key, ms, event.kind, event.detail) }
                for message in outcome.outbox {
                    try db.execute(
                        sql: """
                            INSERT INTO outboxMessage (id, incidentId, vendor, endpoint, body, status, attempts,
                                nextAttemptAt, createdAt, method)
                            VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                            """,
                        arguments: [message.id, key, message.vendor, message.endpoint, Data(message.body), ms, ms, message.method])
                }
                if outcome.raisePriorityTo != nil || !outcome.tags.isEmpty {
                    try Self.amendDecision(db, incidentID: key, priority: outcome.raisePriorityTo, tags: outcome.tags)
                }
                if let next = outcome.repetition {
                    let label = try String.fetchOne(db, sql: "SELECT label FROM slaTimer WHERE id = ?", arguments: [outcome.id])
                    try SLAClockRows.insert(
                        db, incidentID: key, generation: outcome.generation, timers: [next], snapshot: nil, label: label)
                }
            }
        }
    }

    public func clocksToReplan(limit: Int) async throws -> [SLAClockRecord] {
        try await pool.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT incidentId FROM slaClock WHERE replan = 1 LIMIT ?", arguments: [limit])
            return try ids.compactMap { text in try IncidentID(text).flatMap { try Self.clockRecord(db, incidentID: $0) } }
        }
    }

    public func replan(_ record: SLAClockRecord, timers: [PlannedTimer], acknowledgeBy: Date?, resolveBy: Date?) async throws {
        let key = record.incidentID.rawValue
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE slaClock SET replan = 0, acknowledgeDueAt = ?, resolveDueAt = ?
                    WHERE incidentId = ? AND generation = ? AND replan = 1
                    """, arguments: [acknowledgeBy?.millis, resolveBy?.millis, key, record.generation])
            guard db.changesCount == 1 else { return }
            try db.execute(
                sql: "DELETE FROM slaTimer WHERE incidentId = ? AND generation = ? AND status IN ('pending', 'stopped')",
                arguments: [key, record.generation])
            try SLAClockRows.insert(db, incidentID: key, generation: record.generation, timers: timers, snapshot: record.snapshot)
        }
    }

    public func pauseClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool {
        try await pool.write { db in
            guard try SLAClockRows.pause(db, incidentID: id.rawValue, at: at, by: "api") else { return false }
            try Self.event(db, id.rawValue, at.millis, "sla-paused", reason)
            return true
        }
    }

    public func resumeClock(_ id: IncidentID, at: Date, reason: String) async throws -> Bool {
        try await pool.write { db in
            guard try SLAClockRows.resume(db, incidentID: id.rawValue, at: at) else { return false }
            try Self.event(db, id.rawValue, at.millis, "sla-resumed", reason)
            return true
        }
    }

    public func clocksDue(before: Date, limit: Int) async throws -> [SLAClockRecord] {
        try await pool.read { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT incidentId FROM slaClock
                    WHERE MIN(COALESCE(acknowledgeDueAt, resolveDueAt), COALESCE(resolveDueAt, acknowledgeDueAt)) < ?
                    ORDER BY MIN(COALESCE(acknowledgeDueAt, resolveDueAt), COALESCE(resolveDueAt, acknowledgeDueAt))
                    LIMIT ?
                    """, arguments: [before.millis, limit])
            return try ids.compactMap { text in try IncidentID(text).flatMap { try Self.clockRecord(db, incidentID: $0) } }
        }
    }

    /// The clock (without its fired keys, which firing does not need), decision and incident of one row.
    static func facts(_ row: Row, incidentID: IncidentID, snapshots: inout SnapshotCache)
        -> (clock: SLAClockRecord?, vendor: String?, priority: Priority?, incident: Incident?)
    {
        var clock: SLAClockRecord?
        if let snapshotText = row["snapshot"] as String?, let snapshot = snapshots.decode(snapshotText),
            let state = try? SLAClockRows.decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8))
        {
            clock = SLAClockRecord(
                incidentID: incidentID, generation: row["generation"], snapshot: snapshot, state: state,
                acknowledgeBy: (row["acknowledgeDueAt"] as Int64?).map(Date.init(millis:)),
                resolveBy: (row["resolveDueAt"] as Int64?).map(Date.init(millis:)), title: row["title"])
        }
        let draft = IncidentDraft(
            source: row["source"], externalID: row["externalId"], dedupKey: row["dedupKey"], title: row["title"],
            severity: Severity(rawValue: row["severity"]) ?? .unknown)
        let incident = Incident(
            id: incidentID, draft: draft, receivedAt: Date(millis: row["receivedAt"]), rawPayloadID: row["rawPayloadId"])
        return (clock, row["vendor"], (row["priority"] as String?).flatMap(Priority.init(rawValue:)), incident)
    }

    static func clockRecord(_ db: Database, incidentID: IncidentID) throws -> SLAClockRecord? {
        let key = incidentID.rawValue
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT c.generation, c.snapshot, c.state, c.acknowledgeDueAt, c.resolveDueAt, i.title
                FROM slaClock c JOIN incident i ON i.id = c.incidentId WHERE c.incidentId = ?
                """, arguments: [key]),
            let snapshot = try? SLAClockRows.decoder.decode(SLASnapshot.self, from: Data((row["snapshot"] as String).utf8)),
            let state = try? SLAClockRows.decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8))
        else { return nil }
        let generation: Int = row["generation"]
        let fired = try Row.fetchAll(
            db, sql: "SELECT kind, step, occurrence FROM slaTimer WHERE incidentId = ? AND generation = ? AND status = 'fired'",
            arguments: [key, generation]
        ).map { "\($0["kind"] as String)/\($0["step"] as Int)/\($0["occurrence"] as Int)" }
        return SLAClockRecord(
            incidentID: incidentID, generation: generation, snapshot: snapshot, state: state, fired: Set(fired),
            acknowledgeBy: (row["acknowledgeDueAt"] as Int64?).map(Date.init(millis:)),
            resolveBy: (row["resolveDueAt"] as Int64?).map(Date.init(millis:)), title: row["title"])
    }

    /// Raises the decision's priority and adds tags, keeping its JSON body and columns in step.
    static func amendDecision(_ db: Database, incidentID key: String, priority: Priority?, tags: [String]) throws {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM decision WHERE incidentId = ?", arguments: [key]),
            var decision = try? JSONDecoder().decode(Decision.self, from: Data(body.utf8))
        else { return }
        if let priority { decision.priority = priority }
        var all = decision.tags ?? []
        for tag in tags where !all.contains(tag) { all.append(tag) }
        decision.tags = all.isEmpty ? nil : all
        let text = String(decoding: try JSONEncoder.sorted.encode(decision), as: UTF8.self)
        try db.execute(
            sql: "UPDATE decision SET body = ?, priority = ? WHERE incidentId = ?",
            arguments: [text, decision.priority.rawValue, key])
    }
}

/// Decoded snapshots by their JSON text: incidents under the same terms share one decode.
struct SnapshotCache {
    var decoded: [String: SLASnapshot] = [:]

    mutating func decode(_ text: String) -> SLASnapshot? {
        if let known = decoded[text] { return known }
        guard let snapshot = try? SLAClockRows.decoder.decode(SLASnapshot.self, from: Data(text.utf8)) else { return nil }
        if decoded.count < 1024 { decoded[text] = snapshot }
        return snapshot
    }
}
