import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

/// What one draft does to the incidents, inside the intake transaction: open, re-fire, update,
/// acknowledge, resolve or reopen. Every change leaves an `incidentEvent`; the same steps, events
/// and outcomes as the SQLite store's `IncidentLifecycle`.
///
/// Several receivers take webhooks at once, so nothing here is "read, then write": the open
/// incident of a dedup key is locked (`FOR UPDATE`) before it changes, a new one is inserted with
/// `ON CONFLICT … DO NOTHING` on the one-open-incident-per-key index, and a dedup key with no open
/// incident is decided under a transaction-scoped advisory lock on (source, dedup key), so a
/// resolution and a trigger of one alert arriving together still apply one after the other.
struct PGIncidentLifecycle {
    let c: PostgresConnection
    let rawID: Int64
    let now: Date
    let logger: Logger
    var ms: Int64 { now.millis }

    /// The row of an incident that cannot be used (an id that is not an incident id), or a dedup
    /// key that kept changing under the draft.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Applies `draft`, and says what became of it.
    func apply(
        _ draft: IncidentDraft, refire: RefirePolicy, generator: inout SystemRandomNumberGenerator
    ) async throws -> AcceptedIncident {
        // A lost race (another transaction created or reopened the incident first) starts over,
        // and then finds that incident open.
        for attempt in 0..<4 {
            if let open = try await lockOpen(draft) {
                return try await applyToOpen(draft, open: open)
            }
            if attempt == 0 {
                try await c.run(
                    "SELECT pg_advisory_xact_lock(hashtext(\(draft.source)), hashtext(\(draft.dedupKey)))", logger: logger)
                if let open = try await lockOpen(draft) {
                    return try await applyToOpen(draft, open: open)
                }
            }
            if let accepted = try await applyWithoutOpen(draft, refire: refire, generator: &generator) {
                return accepted
            }
        }
        throw Failure(description: "the open incident of \(draft.source)/\(draft.dedupKey) kept changing; try again")
    }

    /// The open incident of the draft's dedup key, locked until the transaction ends.
    func lockOpen(_ draft: IncidentDraft) async throws -> OpenIncident? {
        guard let row = try await c.row(
            """
            SELECT id, status, severity, labels FROM incident
            WHERE source = \(draft.source) AND dedupKey = \(draft.dedupKey) AND status <> 'resolved'
            FOR UPDATE
            """, logger: logger)
        else { return nil }
        return OpenIncident(
            id: try row.get("id"), status: try row.get("status"), severity: try row.get("severity"),
            labels: try row.get("labels"))
    }

    /// No open incident has the draft's key: store it resolved, reopen a recent resolution, ignore a
    /// late update, or open a new one. `nil` when another transaction made one open meanwhile.
    func applyWithoutOpen(
        _ draft: IncidentDraft, refire: RefirePolicy, generator: inout SystemRandomNumberGenerator
    ) async throws -> AcceptedIncident? {
        let resolved = try await c.row(
            """
            SELECT id, resolvedAt FROM incident WHERE source = \(draft.source) AND dedupKey = \(draft.dedupKey)
                AND status = 'resolved'
            ORDER BY resolvedAt DESC, receivedAt DESC LIMIT 1
            """, logger: logger)
        let resolvedID = try resolved?.get("id", as: String.self)
        let resolvedAt = try resolved?.get("resolvedat", as: Int64?.self)
        switch draft.action {
        case .resolve:
            return try await create(draft, status: .resolved, generator: &generator)
        case .trigger:
            if case .reopen(let window) = refire, let resolvedID,
                (resolvedAt ?? Int64.min) >= now.addingTimeInterval(-window).millis
            {
                return try await reopen(resolvedID, draft: draft)
            }
            return try await create(draft, status: .open, generator: &generator)
        case .update, .acknowledge:
            if let resolvedID, let id = IncidentID(resolvedID) {
                // A late update or acknowledgement of something already over changes nothing.
                try await event(resolvedID, "ignored", "\(draft.action.rawValue) after resolution; nothing changed")
                return AcceptedIncident(id: id, outcome: .ignored)
            }
            return try await create(draft, status: draft.action == .acknowledge ? .acknowledged : .open, generator: &generator)
        }
    }

    /// Applies the draft to the open incident of its key, whose row this transaction has locked.
    func applyToOpen(_ draft: IncidentDraft, open: OpenIncident) async throws -> AcceptedIncident {
        let id = open.id
        guard let incidentID = IncidentID(id) else { throw Failure(description: "bad incident id \(id)") }
        let severity = open.severity
        let newSeverity = draft.severity == .unknown ? severity : draft.severity.rawValue
        let severityNote = newSeverity == severity ? "" : "; severity \(severity) → \(newSeverity)"
        switch draft.action {
        case .trigger:
            try await c.query(
                """
                UPDATE incident SET occurrences = occurrences + 1, lastSeenAt = \(ms), updatedAt = \(ms),
                    severity = \(newSeverity)
                WHERE id = \(id)
                """, logger: logger)
            try await event(id, "refired", "same dedup key re-sent (payload \(rawID))\(severityNote)")
            return AcceptedIncident(id: incidentID, outcome: .deduplicated)
        case .update:
            // Updates can be partial (an Opsgenie escalation, a PagerDuty note): a title that is just the
            // sender's key, an empty description or absent labels do not erase what the incident has.
            // Labels merge as SQLite's `json_patch` does, over the locked row's labels.
            var labels = (try? JSONDecoder().decode([String: String].self, from: Data(open.labels.utf8))) ?? [:]
            labels.merge(draft.labels) { _, new in new }
            let labelsText = try Self.labelsJSON(labels)
            try await c.query(
                """
                UPDATE incident SET
                    title = CASE WHEN \(draft.title) IN (dedupKey, COALESCE(externalId, '')) THEN title ELSE \(draft.title) END,
                    description = COALESCE(NULLIF(\(draft.description), ''), description), severity = \(newSeverity),
                    labels = \(labelsText), service = COALESCE(\(draft.service)::text, service),
                    link = COALESCE(\(draft.link)::text, link), lastSeenAt = \(ms), updatedAt = \(ms)
                WHERE id = \(id)
                """, logger: logger)
            try await event(id, "updated", "updated by source '\(draft.source)' (payload \(rawID))\(severityNote)")
            if let note = try await PGClockRows.sourceStatus(
                c, incidentID: id, status: draft.labels["status"] ?? draft.labels["state"], at: now, logger: logger)
            {
                try await event(id, "sla-paused-resumed", note)
            }
            return AcceptedIncident(id: incidentID, outcome: .updated)
        case .acknowledge:
            if open.status != IncidentStatus.acknowledged.rawValue {
                try await c.query(
                    """
                    UPDATE incident SET status = 'acknowledged', acknowledgedAt = COALESCE(acknowledgedAt, \(ms)),
                        phase = CASE WHEN phase = 'paused' THEN phase ELSE 'acknowledged' END, updatedAt = \(ms)
                    WHERE id = \(id)
                    """, logger: logger)
                try await PGClockRows.acknowledged(c, incidentID: id, at: now, logger: logger)
            }
            try await event(id, "acknowledged", "acknowledged by source '\(draft.source)' (payload \(rawID))")
            return AcceptedIncident(id: incidentID, outcome: .acknowledged)
        case .resolve:
            try await PGVendorCounts.countRelease(c, incidentID: id, at: now, resolved: true, logger: logger)
            try await c.query(
                """
                UPDATE incident SET status = 'resolved', phase = 'resolved', resolvedAt = \(ms), updatedAt = \(ms)
                WHERE id = \(id)
                """, logger: logger)
            try await PGClockRows.resolved(c, incidentID: id, at: now, logger: logger)
            try await event(id, "resolved", "resolved by source '\(draft.source)' (payload \(rawID))")
            return AcceptedIncident(id: incidentID, outcome: .resolved)
        }
    }

    /// Opens a recently resolved incident again and queues it for triage; `nil` when it is no
    /// longer resolved (another transaction reopened it first).
    func reopen(_ id: String, draft: IncidentDraft) async throws -> AcceptedIncident? {
        guard let incidentID = IncidentID(id) else { throw Failure(description: "bad incident id \(id)") }
        let severity = draft.severity.rawValue
        let changed = try await c.run(
            """
            UPDATE incident SET status = 'open', phase = 'new', reopenCount = reopenCount + 1, resolvedAt = NULL,
                acknowledgedAt = NULL,
                occurrences = occurrences + 1, lastSeenAt = \(ms), updatedAt = \(ms),
                severity = CASE WHEN \(severity)::text = 'unknown' THEN severity ELSE \(severity) END
            WHERE id = \(id) AND status = 'resolved'
            RETURNING 1
            """, logger: logger)
        guard changed > 0 else { return nil }
        try await c.query(
            """
            INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt) VALUES (\(id), 'queued', 0, \(ms), \(ms))
            ON CONFLICT (incidentId) DO UPDATE SET status = 'queued', attempts = 0,
                availableAt = excluded.availableAt, leaseOwner = NULL, leaseUntil = NULL, lastError = NULL,
                round = workItem.round + 1
            """, logger: logger)
        try await event(id, "reopened", "re-fired after resolution (payload \(rawID)); queued for triage again")
        return AcceptedIncident(id: incidentID, outcome: .reopened)
    }

    /// Stores a new incident (queued for triage unless it arrived resolved); `nil` when another
    /// transaction opened one with the same key first (the unique index said so).
    func create(
        _ draft: IncidentDraft, status: IncidentStatus, generator: inout SystemRandomNumberGenerator
    ) async throws -> AcceptedIncident? {
        let id = IncidentID(now: now, using: &generator)
        let key = id.rawValue
        let labels = try Self.labelsJSON(draft.labels)
        let occurredAt = (draft.occurredAt ?? now).millis
        let acknowledgedAt: Int64? = status == .acknowledged ? ms : nil
        let resolvedAt: Int64? = status == .resolved ? ms : nil
        let queued = status != .resolved
        let note = status == .acknowledged ? "; arrived acknowledged" : ""
        let detail =
            queued ? "queued for triage (payload \(rawID))\(note)" : "arrived resolved; nothing to triage (payload \(rawID))"
        // One round trip: the incident, its queue row (unless it arrived resolved) and its first
        // event, all only if the insert won the one-open-incident-per-key index.
        let inserted = try await c.run(
            """
            WITH created AS (
                INSERT INTO incident (id, source, externalId, dedupKey, title, description, severity, labels,
                    service, status, occurredAt, receivedAt, updatedAt, rawPayloadId, lastSeenAt, acknowledgedAt,
                    resolvedAt, link)
                VALUES (\(key), \(draft.source), \(draft.externalID), \(draft.dedupKey), \(draft.title), \(draft.description),
                    \(draft.severity.rawValue), \(labels), \(draft.service), \(status.rawValue), \(occurredAt),
                    \(ms), \(ms), \(rawID), \(ms), \(acknowledgedAt), \(resolvedAt), \(draft.link))
                ON CONFLICT (source, dedupKey) WHERE status <> 'resolved' DO NOTHING
                RETURNING id
            ), queue AS (
                INSERT INTO workItem (incidentId, status, attempts, availableAt, enqueuedAt)
                SELECT id, 'queued', 0, \(ms), \(ms) FROM created WHERE \(queued)
            ), received AS (
                INSERT INTO incidentEvent (incidentId, at, kind, detail)
                SELECT id, \(ms), 'received', \(detail) FROM created
            )
            SELECT id FROM created
            """, logger: logger)
        guard inserted > 0 else { return nil }
        return AcceptedIncident(id: id, outcome: queued ? .created : .storedResolved)
    }

    func event(_ incidentID: String, _ kind: String, _ detail: String) async throws {
        try await PGRows.event(c, incidentID, ms, kind, detail, logger: logger)
    }

    /// Labels as a JSON object with sorted keys (what the SQLite store writes, `/` unescaped).
    static func labelsJSON(_ labels: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(labels), as: UTF8.self)
    }

    /// The columns of a locked open incident the draft needs.
    struct OpenIncident {
        var id: String
        var status: String
        var severity: String
        var labels: String
    }
}
