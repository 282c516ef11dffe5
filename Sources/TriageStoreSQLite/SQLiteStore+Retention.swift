import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: RetentionStore {
    /// Counts the rows of `kind` due under `cutoffs`, changing nothing (`triage retention run --dry-run`).
    public func retentionDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction
    ) async throws -> Int {
        guard !cutoffs.keepsEverything else { return 0 }
        let candidates = RetentionSQL.candidates(kind, cutoffs, action: action)
        return try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(candidates.sql))", arguments: candidates.statementArguments) ?? 0
        }
    }

    /// Purges at most `limit` due rows of `kind` in one write transaction (SQLite has one writer, so
    /// the rows chosen cannot change before it commits); returns how many.
    public func purgeDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction, limit: Int,
        now: Date
    ) async throws -> Int {
        guard !cutoffs.keepsEverything, limit > 0 else { return 0 }
        let candidates = RetentionSQL.candidates(kind, cutoffs, action: action)
        // One writer at a time: the rows chosen cannot change before this transaction commits.
        return try await pool.write { db in
            let keys = try DatabaseValue.fetchAll(
                db, sql: candidates.sql + " LIMIT ?", arguments: candidates.statementArguments + [limit])
            guard !keys.isEmpty else { return 0 }
            let list = RetentionSQL.placeholders(keys.count)
            let arguments = StatementArguments(keys)
            let ms = now.millis
            switch kind {
            case .closedIncidents where action == .redact:
                try Self.redactIncidents(db, keys.compactMap { String.fromDatabaseValue($0) }, at: ms)
            case .closedIncidents:
                try Self.purgeIncidents(db, list: list, arguments: arguments, at: ms)
            case .rawPayloads:
                // A payload an incident was made from keeps its row (the incident refers to it), not its body.
                try db.execute(
                    sql: """
                        DELETE FROM rawPayload WHERE id IN (\(list))
                            AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.rawPayloadId = rawPayload.id)
                        """, arguments: arguments)
                try db.execute(
                    sql: "UPDATE rawPayload SET body = x'', purgedAt = ? WHERE id IN (\(list))", arguments: [ms] + arguments)
            case .deliveredMessages:
                try db.execute(
                    sql: "UPDATE outboxMessage SET body = x'', purgedAt = ? WHERE id IN (\(list))", arguments: [ms] + arguments)
            case .rejectedPayloads:
                try db.execute(sql: "DELETE FROM rejectedPayload WHERE id IN (\(list))", arguments: arguments)
            }
            return keys.count
        }
    }

    /// `PRAGMA incremental_vacuum` (the file runs with `auto_vacuum = INCREMENTAL`), then a passive
    /// checkpoint so the shorter file reaches the disk.
    public func reclaimSpace() async throws {
        try await pool.writeWithoutTransaction { db in
            // Free pages go back to the file system; the checkpoint carries the shorter file over from the WAL.
            try db.execute(sql: "PRAGMA incremental_vacuum")
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
        }
    }

    /// Deletes the incidents in `list` with everything recorded about them, after copying their
    /// SLA clocks (terms, times, escalation counts; no incident text) to `slaArchive`.
    static func purgeIncidents(_ db: Database, list: String, arguments: StatementArguments, at ms: Int64) throws {
        let turn = """
            incidentId, generation, vendor, COALESCE(json_extract(snapshot, '$.priority'), ''),
            strftime('%Y-%m', startedAt / 1000, 'unixepoch'), snapshot, state, startedAt
            """
        let facts = """
            (SELECT COUNT(*) FROM slaTimer t WHERE t.incidentId = c.incidentId AND t.generation = c.generation
                AND t.status = 'fired' AND t.step >= 0 AND t.kind = 'acknowledge'),
            (SELECT COUNT(*) FROM slaTimer t WHERE t.incidentId = c.incidentId AND t.generation = c.generation
                AND t.status = 'fired' AND t.step >= 0 AND t.kind = 'resolve'),
            MAX(0, COALESCE((SELECT MAX(generation) FROM slaClock g WHERE g.incidentId = c.incidentId), 1) - 1),
            COALESCE((SELECT reopenCount > 0 FROM incident i WHERE i.id = c.incidentId), 0), ?
            """
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO slaArchive (incidentId, generation, vendor, priority, month, snapshot, state, startedAt,
                    endedAt, acknowledgeEscalations, resolveEscalations, reassignments, reopened, archivedAt)
                SELECT \(turn), NULL, \(facts) FROM slaClock c WHERE c.incidentId IN (\(list)) AND c.startedAt IS NOT NULL
                UNION ALL
                SELECT \(turn), endedAt, \(facts) FROM slaClockHistory c WHERE c.incidentId IN (\(list))
                """, arguments: [ms] + arguments + [ms] + arguments)
        let payloads = try Int64.fetchAll(
            db, sql: "SELECT DISTINCT rawPayloadId FROM incident WHERE id IN (\(list))", arguments: arguments)
        try db.execute(
            sql: """
                DELETE FROM deliveryAttempt WHERE messageId IN (SELECT id FROM outboxMessage WHERE incidentId IN (\(list)))
                """, arguments: arguments)
        for table in ["outboxMessage", "slaTimer", "slaClockHistory", "slaClock", "incidentEvent", "callbackEvent", "workItem", "decision"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE incidentId IN (\(list))", arguments: arguments)
        }
        try db.execute(sql: "DELETE FROM incident WHERE id IN (\(list))", arguments: arguments)
        guard !payloads.isEmpty else { return }
        try db.execute(
            sql: """
                DELETE FROM rawPayload WHERE id IN (\(RetentionSQL.placeholders(payloads.count)))
                    AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.rawPayloadId = rawPayload.id)
                """, arguments: StatementArguments(payloads))
    }

    /// Blanks what the incidents in `ids` say (title, description, free-text labels, event
    /// details, payload and finished message bodies); the rows, decisions and SLA clocks stay.
    static func redactIncidents(_ db: Database, _ ids: [String], at ms: Int64) throws {
        let list = RetentionSQL.placeholders(ids.count)
        let arguments = StatementArguments(ids)
        let labels = try Row.fetchAll(db, sql: "SELECT id, labels FROM incident WHERE id IN (\(list))", arguments: arguments)
        for row in labels {
            let stored = (try? JSONDecoder().decode([String: String].self, from: Data((row["labels"] as String).utf8))) ?? [:]
            try db.execute(
                sql: "UPDATE incident SET title = '', description = '', labels = ?, redactedAt = ? WHERE id = ?",
                arguments: [LabelsJSON.encode(RetentionPolicy.redactedLabels(stored)), ms, row["id"] as String])
        }
        try db.execute(sql: "UPDATE incidentEvent SET detail = '' WHERE incidentId IN (\(list))", arguments: arguments)
        try db.execute(
            sql: """
                UPDATE outboxMessage SET body = x'', purgedAt = COALESCE(purgedAt, ?)
                WHERE incidentId IN (\(list)) AND status != 'pending'
                """, arguments: [ms] + arguments)
        try db.execute(
            sql: """
                UPDATE rawPayload SET body = x'', purgedAt = COALESCE(purgedAt, ?)
                WHERE id IN (SELECT rawPayloadId FROM incident WHERE id IN (\(list)))
                """, arguments: [ms] + arguments)
    }
}
