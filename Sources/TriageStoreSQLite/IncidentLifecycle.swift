import Foundation
import GRDB
import TriageCore
import TriageEngine

/// What one draft does to the incidents, inside the intake transaction: open, re-fire, update,
/// acknowledge, resolve or reopen. Every change leaves an `incidentEvent`.
struct IncidentLifecycle {
    let db: Database
    let rawID: Int64
    let now: Date
    var ms: Int64 { now.millis }

    init(db: Database, rawID: Int64, now: Date) {
        self.db = db
        self.rawID = rawID
        self.now = now
    }

    mutating func apply(
        _ draft: IncidentDraft, refire: RefirePolicy, generator: inout SystemRandomNumberGenerator
    ) throws -> AcceptedIncident {
        if let open = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, status, severity FROM incident WHERE source = ? AND dedupKey = ? AND status != 'resolved'"),
            arguments: [draft.source, draft.dedupKey]
        ) {
            return try applyToOpen(draft, id: open["id"], status: open["status"], severity: open["severity"])
        }
        let resolvedID = try String.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id FROM incident WHERE source = ? AND dedupKey = ? AND status = 'resolved'
                    ORDER BY resolvedAt DESC, receivedAt DESC LIMIT 1
                    """),
            arguments: [draft.source, draft.dedupKey]
        )
        switch draft.action {
        case .resolve:
            return try create(draft, status: .resolved, generator: &generator)
        case .trigger:
            if case .reopen(let window) = refire, let resolvedID, try resolvedSince(resolvedID, now.addingTimeInterval(-window)) {
                return try reopen(resolvedID, draft: draft)
            }
            return try create(draft, status: .open, generator: &generator)
        case .update, .acknowledge:
            if let resolvedID, let id = IncidentID(resolvedID) {
                // A late update or acknowledgement of something already over changes nothing.
                try event(resolvedID, "ignored", "\(draft.action.rawValue) after resolution; nothing changed")
                return AcceptedIncident(id: id, outcome: .ignored)
            }
            return try create(draft, status: draft.action == .acknowledge ? .acknowledged : .open, generator: &generator)
        }
    }

    func applyToOpen(_ draft: IncidentDraft, id: String, status: String, severity: String) throws -> AcceptedIncident {
        guard let incidentID = IncidentID(id) else { throw DatabaseError(message: "bad incident id \(id)") }
        let newSeverity = draft.severity == .unknown ? severity : draft.severity.rawValue
        let severityNote = newSeverity == severity ? "" : "; severity \(severity) → \(newSeverity)"
        switch draft.action {
        case .trigger:
            try run(
                """
                    UPDATE incident SET occurrences = occurrences + 1, lastSeenAt = ?, updatedAt = ?, severity = ?
                    WHERE id = ?
                    """,
                [ms, ms, newSeverity, id]
            )
            try event(id, "refired", "same dedup key re-sent (payload \(rawID))\(severityNote)")
            return AcceptedIncident(id: incidentID, outcome: .deduplicated)
        case .update:
            // Updates can be partial (an Opsgenie escalation, a PagerDuty note): a title that is just the
            // sender's key, an empty description or absent labels do not erase what the incident has.
            try run(
                """
                    UPDATE incident SET
                        title = CASE WHEN ? IN (dedupKey, COALESCE(externalId, '')) THEN title ELSE ? END,
                        description = COALESCE(NULLIF(?, ''), description), severity = ?,
                        labels = json_patch(labels, ?), service = COALESCE(?, service), link = COALESCE(?, link),
                        lastSeenAt = ?, updatedAt = ?
                    WHERE id = ?
                    """,
                [
                    draft.title, draft.title, draft.description, newSeverity, LabelsJSON.encode(draft.labels),
                    draft.service, draft.link, ms, ms, id,
                ]
            )
            try event(id, "updated", "updated by source '\(draft.source)' (payload \(rawID))\(severityNote)")
            if let note = try SLAClockRows.sourceStatus(db, incidentID: id, status: draft.labels["status"] ?? draft.labels["state"], at: now) {
                try event(id, "sla-paused-resumed", note)
            }
            return AcceptedIncident(id: incidentID, outcome: .updated)
        case .acknowledge:
            if status != IncidentStatus.acknowledged.rawValue {
                try run(
                    """
                        UPDATE incident SET status = 'acknowledged', acknowledgedAt = COALESCE(acknowledgedAt, ?),
                            phase = CASE WHEN phase = 'paused' THEN phase ELSE 'acknowledged' END, updatedAt = ? WHERE id = ?
                        """,
                    [ms, ms, id]
                )
                try SLAClockRows.acknowledged(db, incidentID: id, at: now)
            }
            try event(id, "acknowledged", "acknowledged by source '\(draft.source)' (payload \(rawID))")
            return AcceptedIncident(id: incidentID, outcome: .acknowledged)
        case .resolve:
            try SQLiteStore.countRelease(db, incidentID: id, at: now, resolved: true)
            try run(
                "UPDATE incident SET status = 'resolved', phase = 'resolved', resolvedAt = ?, updatedAt = ? WHERE id = ?",
                [ms, ms, id]
            )
            try SLAClockRows.resolved(db, incidentID: id, at: now)
            try event(id, "resolved", "resolved by source '\(draft.source)' (payload \(rawID))")
            return AcceptedIncident(id: incidentID, outcome: .resolved)
        }
    }

    func resolvedSince(_ id: String, _ cutoff: Date) throws -> Bool {
        let resolvedAt = try Int64.fetchOne(db, sql: "SELECT resolvedAt FROM incident WHERE id = ?", arguments: [id])
        return (resolvedAt ?? Int64.min) >= cutoff.millis
    }

    func reopen(_ id: String, draft: IncidentDraft) throws -> AcceptedIncident {
        guard let incidentID = IncidentID(id) else { throw DatabaseError(message: "bad incident id \(id)") }
        try run(
            """
                UPDATE incident SET status = 'open', phase = 'new', reopenCount = reopenCount + 1, resolvedAt = NULL,
                    acknowledgedAt = NULL,
                    occurrences = occurrences + 1, lastSeenAt = ?, updatedAt = ?,
                    severity = CASE WHEN ? = 'unknown' THEN severity ELSE ? END
                WHERE id = ?
                """,
            [ms, ms, draft.severity.rawValue, draft.severity.rawValue, id]
        )
        try run(
            """
                INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt) VALUES (?, 'queued', 0, ?, ?)
                ON CONFLICT (incidentId) DO UPDATE SET status = 'queued', attempts = 0,
                    availableAt = excluded.availableAt, leaseOwner = NULL, leaseUntil = NULL, lastError = NULL,
                    round = round + 1
                """,
            [id, ms, ms]
        )
        try event(id, "reopened", "re-fired after resolution (payload \(rawID)); queued for triage again")
        return AcceptedIncident(id: incidentID, outcome: .reopened)
    }

    func create(
        _ draft: IncidentDraft, status: IncidentStatus, generator: inout SystemRandomNumberGenerator
    ) throws -> AcceptedIncident {
        let id = IncidentID(now: now, using: &generator)
        let labels = LabelsJSON.encode(draft.labels)
        try run(
            """
                INSERT INTO incident (id, source, externalId, dedupKey, title, description, severity, labels,
                    service, status, occurredAt, receivedAt, updatedAt, rawPayloadId, lastSeenAt, acknowledgedAt,
                    resolvedAt, link)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                id.rawValue, draft.source, draft.externalID, draft.dedupKey, draft.title, draft.description,
                draft.severity.rawValue, labels, draft.service, status.rawValue, (draft.occurredAt ?? now).millis,
                ms, ms, rawID, ms, status == .acknowledged ? ms : nil, status == .resolved ? ms : nil, draft.link,
            ]
        )
        if status == .resolved {
            try event(id.rawValue, "received", "arrived resolved; nothing to triage (payload \(rawID))")
            return AcceptedIncident(id: id, outcome: .storedResolved)
        }
        try run(
            "INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt) VALUES (?, 'queued', 0, ?, ?)",
            [id.rawValue, ms, ms]
        )
        let note = status == .acknowledged ? "; arrived acknowledged" : ""
        try event(id.rawValue, "received", "queued for triage (payload \(rawID))\(note)")
        return AcceptedIncident(id: id, outcome: .created)
    }

    func event(_ incidentID: String, _ kind: String, _ detail: String) throws {
        try run("INSERT INTO incidentEvent (incidentId, at, kind, detail) VALUES (?, ?, ?, ?)", [incidentID, ms, kind, detail])
    }

    /// Runs a statement prepared once per connection (the intake path runs the same few thousands of times).
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension SQLiteStore {
    static func event(_ db: Database, _ incidentID: String, _ at: Int64, _ kind: String, _ detail: String) throws {
        try db.cachedStatement(sql: "INSERT INTO incidentEvent (incidentId, at, kind, detail) VALUES (?, ?, ?, ?)")
            .execute(arguments: [incidentID, at, kind, detail])
    }
}
