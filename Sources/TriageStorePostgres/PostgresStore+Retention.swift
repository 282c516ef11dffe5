import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

/// Retention on PostgreSQL. Each batch takes its rows with `FOR UPDATE … SKIP LOCKED`, so instances
/// sweeping at once never take the same row nor wait for each other, and deletes are idempotent.
/// Space: deleted rows and blanked bodies are reclaimed by autovacuum (and TOAST with it), which
/// keeps the tables from growing; the files shrink only with `VACUUM FULL`, which nothing runs.
extension PostgresStore: RetentionStore {
    /// Counts the rows of `kind` due under `cutoffs`, changing nothing (`triage retention run --dry-run`).
    public func retentionDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction
    ) async throws -> Int {
        guard !cutoffs.keepsEverything else { return 0 }
        var sql = PGRetentionSQL()
        let candidates = sql.candidates(kind, cutoffs, action: action, limit: nil, lock: false)
        return try await read { c in
            try await c.row(sql.query("SELECT COUNT(*) AS n FROM (\(candidates)) AS due"), logger: logger)?
                .get("n", as: Int.self) ?? 0
        }
    }

    /// Purges at most `limit` due rows of `kind` in one transaction, taking them `FOR UPDATE SKIP LOCKED`;
    /// returns how many.
    public func purgeDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction, limit: Int,
        now: Date
    ) async throws -> Int {
        guard !cutoffs.keepsEverything, limit > 0 else { return 0 }
        var sql = PGRetentionSQL()
        let text = sql.candidates(kind, cutoffs, action: action, limit: limit, lock: true)
        let candidates = sql.query(text)
        let ms = now.millis
        return try await transaction { c in
            let rows = try await c.rows(candidates, logger: logger)
            guard !rows.isEmpty else { return 0 }
            switch kind {
            case .closedIncidents:
                let ids = try rows.map { try $0.get("key", as: String.self) }
                if action == .redact {
                    try await Self.redactIncidents(c, ids, at: ms, logger: logger)
                } else {
                    try await Self.purgeIncidents(c, ids, at: ms, logger: logger)
                }
            case .rawPayloads:
                let ids = try rows.map { try $0.get("key", as: Int64.self) }
                // A payload an incident was made from keeps its row (the incident refers to it), not its body.
                try await c.query(
                    """
                    DELETE FROM rawPayload r WHERE r.id = ANY(\(ids))
                        AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.rawPayloadId = r.id)
                    """, logger: logger)
                try await c.query(
                    "UPDATE rawPayload SET body = ''::bytea, purgedAt = \(ms) WHERE id = ANY(\(ids))", logger: logger)
            case .deliveredMessages:
                let ids = try rows.map { try $0.get("key", as: String.self) }
                try await c.query(
                    "UPDATE outboxMessage SET body = ''::bytea, purgedAt = \(ms) WHERE id = ANY(\(ids))", logger: logger)
            case .rejectedPayloads:
                let ids = try rows.map { try $0.get("key", as: Int64.self) }
                try await c.query("DELETE FROM rejectedPayload WHERE id = ANY(\(ids))", logger: logger)
            }
            return rows.count
        }
    }

    /// Nothing to do: autovacuum makes the space of deleted rows reusable.
    public func reclaimSpace() async throws {}

    /// Deletes the incidents `ids` (locked by the caller) with everything recorded about them,
    /// after copying their SLA clocks (terms, times, escalation counts; no incident text) to `slaArchive`.
    static func purgeIncidents(_ c: PostgresConnection, _ ids: [String], at ms: Int64, logger: Logger) async throws {
        let facts = """
            (SELECT COUNT(*) FROM slaTimer t WHERE t.incidentId = c.incidentId AND t.generation = c.generation
                AND t.status = 'fired' AND t.step >= 0 AND t.kind = 'acknowledge'),
            (SELECT COUNT(*) FROM slaTimer t WHERE t.incidentId = c.incidentId AND t.generation = c.generation
                AND t.status = 'fired' AND t.step >= 0 AND t.kind = 'resolve'),
            GREATEST(0, COALESCE((SELECT MAX(generation) FROM slaClock g WHERE g.incidentId = c.incidentId), 1) - 1),
            COALESCE((SELECT CASE WHEN reopenCount > 0 THEN 1 ELSE 0 END FROM incident i WHERE i.id = c.incidentId), 0)
            """
        let turn = """
            incidentId, generation, vendor, COALESCE(snapshot::jsonb ->> 'priority', ''),
            to_char(to_timestamp(startedAt / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM'), snapshot, state, startedAt
            """
        try await c.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO slaArchive (incidentId, generation, vendor, priority, month, snapshot, state, startedAt,
                        endedAt, acknowledgeEscalations, resolveEscalations, reassignments, reopened, archivedAt)
                    SELECT \(turn), NULL::bigint, \(facts), $2::bigint FROM slaClock c
                    WHERE c.incidentId = ANY($1) AND c.startedAt IS NOT NULL
                    UNION ALL
                    SELECT \(turn), endedAt, \(facts), $2::bigint FROM slaClockHistory c WHERE c.incidentId = ANY($1)
                    ON CONFLICT (incidentId, generation) DO NOTHING
                    """,
                binds: binds(ids, ms)), logger: logger)
        let payloads = try await c.rows(
            "SELECT DISTINCT rawPayloadId FROM incident WHERE id = ANY(\(ids))", logger: logger
        ).map { try $0.get("rawpayloadid", as: Int64.self) }
        try await c.query(
            "DELETE FROM deliveryAttempt WHERE messageId IN (SELECT id FROM outboxMessage WHERE incidentId = ANY(\(ids)))",
            logger: logger)
        for table in ["outboxMessage", "slaTimer", "slaClockHistory", "slaClock", "incidentEvent", "callbackEvent", "workItem", "decision"] {
            try await c.query(
                PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE incidentId = ANY($1)", binds: binds(ids)), logger: logger)
        }
        try await c.query("DELETE FROM incident WHERE id = ANY(\(ids))", logger: logger)
        guard !payloads.isEmpty else { return }
        try await c.query(
            """
            DELETE FROM rawPayload r WHERE r.id = ANY(\(payloads))
                AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.rawPayloadId = r.id)
            """, logger: logger)
    }

    /// Blanks what the incidents `ids` say (title, description, free-text labels, event details,
    /// payload and finished message bodies); the rows, decisions and SLA clocks stay.
    static func redactIncidents(_ c: PostgresConnection, _ ids: [String], at ms: Int64, logger: Logger) async throws {
        for row in try await c.rows("SELECT id, labels FROM incident WHERE id = ANY(\(ids))", logger: logger) {
            let stored = (try? JSONDecoder().decode([String: String].self, from: Data(try row.get("labels", as: String.self).utf8))) ?? [:]
            let kept = try PGIncidentLifecycle.labelsJSON(RetentionPolicy.redactedLabels(stored))
            try await c.query(
                """
                UPDATE incident SET title = '', description = '', labels = \(kept), redactedAt = \(ms)
                WHERE id = \(try row.get("id", as: String.self))
                """, logger: logger)
        }
        try await c.query("UPDATE incidentEvent SET detail = '' WHERE incidentId = ANY(\(ids))", logger: logger)
        try await c.query(
            """
            UPDATE outboxMessage SET body = ''::bytea, purgedAt = COALESCE(purgedAt, \(ms))
            WHERE incidentId = ANY(\(ids)) AND status <> 'pending'
            """, logger: logger)
        try await c.query(
            """
            UPDATE rawPayload SET body = ''::bytea, purgedAt = COALESCE(purgedAt, \(ms))
            WHERE id IN (SELECT rawPayloadId FROM incident WHERE id = ANY(\(ids)))
            """, logger: logger)
    }

    /// `ids` as `$1`, then `millis` as `$2` when given.
    static func binds(_ ids: [String], _ millis: Int64? = nil) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(ids)
        if let millis { binds.append(millis) }
        return binds
    }
}
