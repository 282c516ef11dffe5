import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore {
    /// Migration `v5-retention`, as SQLite's `v12-retention`: the SLA archive of purged incidents'
    /// clocks (terms, times, escalation counts, vendor, priority and month; no incident text),
    /// purge markers (`purgedAt`, `redactedAt`) so a sweep never takes a row twice, and the
    /// indexes retention reads by. No vacuum setting: autovacuum reclaims the space.
    static let retentionMigration: (name: String, sql: [String]) = (
        "v5-retention",
        [
            "ALTER TABLE rawPayload ADD COLUMN purgedAt BIGINT",
            "ALTER TABLE outboxMessage ADD COLUMN purgedAt BIGINT",
            "ALTER TABLE incident ADD COLUMN redactedAt BIGINT",
            "CREATE INDEX incident_rawPayload ON incident(rawPayloadId)",
            "CREATE INDEX rawPayload_kept ON rawPayload(receivedAt) WHERE purgedAt IS NULL",
            "CREATE INDEX rejectedPayload_received ON rejectedPayload(receivedAt)",
            "CREATE INDEX outbox_created ON outboxMessage(createdAt) WHERE purgedAt IS NULL",
            """
            CREATE TABLE slaArchive (
                incidentId TEXT NOT NULL,
                generation BIGINT NOT NULL,
                vendor TEXT NOT NULL,
                priority TEXT NOT NULL,
                month TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                state TEXT NOT NULL,
                startedAt BIGINT NOT NULL,
                endedAt BIGINT,
                acknowledgeEscalations BIGINT NOT NULL,
                resolveEscalations BIGINT NOT NULL,
                reassignments BIGINT NOT NULL,
                reopened INTEGER NOT NULL,
                archivedAt BIGINT NOT NULL,
                PRIMARY KEY (incidentId, generation)
            )
            """,
            "CREATE INDEX slaArchive_started ON slaArchive(startedAt)",
        ]
    )

    /// The archived clocks (of purged incidents) started in [from, to), for one vendor or all,
    /// oldest first, as ``slaClockEntries(from:to:vendor:)`` returns live ones.
    static func archivedSLAEntries(
        _ c: PostgresConnection, from: Date, to: Date, vendor: String?, logger: Logger
    ) async throws -> [SLAClockEntry] {
        try await c.rows(
            """
            SELECT * FROM slaArchive
            WHERE startedAt >= \(from.millis) AND startedAt < \(to.millis) AND (\(vendor)::text IS NULL OR vendor = \(vendor))
            ORDER BY startedAt, incidentId COLLATE "C", generation
            """, logger: logger
        ).compactMap { row -> SLAClockEntry? in
            guard let snapshot = try? PGClockRows.decoder.decode(SLASnapshot.self, from: Data(try row.get("snapshot", as: String.self).utf8)),
                let state = try? PGClockRows.decoder.decode(SLAClockState.self, from: Data(try row.get("state", as: String.self).utf8))
            else { return nil }
            var escalations: [SLATimer.Kind: Int] = [:]
            if let count = try row.get("acknowledgeescalations", as: Int?.self), count > 0 { escalations[.acknowledge] = count }
            if let count = try row.get("resolveescalations", as: Int?.self), count > 0 { escalations[.resolve] = count }
            return SLAClockEntry(
                incidentID: try row.get("incidentid"), generation: try row.get("generation"), snapshot: snapshot, state: state,
                endedAt: (try row.get("endedat", as: Int64?.self)).map(Date.init(millis:)), escalations: escalations,
                reassignments: try row.get("reassignments"), reopened: try row.get("reopened", as: Int.self) != 0)
        }
    }
}
