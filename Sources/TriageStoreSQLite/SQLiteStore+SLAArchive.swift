import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore {
    /// Migration `v12-retention`: what retention needs.
    ///
    /// - `slaArchive`: the SLA clocks of purged incidents (one row per vendor turn: terms, times,
    ///   escalation counts, vendor, priority and month; no incident text), which SLA reports read
    ///   beside the live clocks;
    /// - `purgedAt` on `rawPayload` and `outboxMessage` (the body was deleted then) and
    ///   `redactedAt` on `incident`, so a sweep never takes the same row twice;
    /// - indexes: payloads by incident (to know whether a payload is still referred to), payloads
    ///   and messages still holding a body by age, and rejected requests by age.
    static func migrateRetention(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE rawPayload ADD COLUMN purgedAt INTEGER;
                ALTER TABLE outboxMessage ADD COLUMN purgedAt INTEGER;
                ALTER TABLE incident ADD COLUMN redactedAt INTEGER;
                CREATE INDEX incident_rawPayload ON incident(rawPayloadId);
                CREATE INDEX rawPayload_kept ON rawPayload(receivedAt) WHERE purgedAt IS NULL;
                CREATE INDEX rejectedPayload_received ON rejectedPayload(receivedAt);
                CREATE INDEX outbox_created ON outboxMessage(createdAt) WHERE purgedAt IS NULL;
                CREATE TABLE slaArchive (
                    incidentId TEXT NOT NULL,
                    generation INTEGER NOT NULL,
                    vendor TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    month TEXT NOT NULL,
                    snapshot TEXT NOT NULL,
                    state TEXT NOT NULL,
                    startedAt INTEGER NOT NULL,
                    endedAt INTEGER,
                    acknowledgeEscalations INTEGER NOT NULL,
                    resolveEscalations INTEGER NOT NULL,
                    reassignments INTEGER NOT NULL,
                    reopened INTEGER NOT NULL,
                    archivedAt INTEGER NOT NULL,
                    PRIMARY KEY (incidentId, generation)
                );
                CREATE INDEX slaArchive_started ON slaArchive(startedAt);
                """)
    }

    /// Makes the file give freed pages back (`auto_vacuum = INCREMENTAL`, which retention's
    /// ``reclaimSpace()`` then uses). A new file takes the setting at once; a file created before
    /// it is rebuilt once with `VACUUM` (it needs as much free disk as the file's size, once).
    static func useIncrementalVacuum(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 else { return }
            try db.execute(sql: "VACUUM")
        }
    }

    /// The archived clocks (of purged incidents) started in [from, to), for one vendor or all,
    /// oldest first, as ``slaClockEntries(from:to:vendor:)`` returns live ones.
    static func archivedSLAEntries(_ db: Database, from: Date, to: Date, vendor: String?) throws -> [SLAClockEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM slaArchive WHERE startedAt >= ? AND startedAt < ? AND (? IS NULL OR vendor = ?)
                ORDER BY startedAt, incidentId, generation
                """, arguments: [from.millis, to.millis, vendor, vendor]
        ).compactMap { row -> SLAClockEntry? in
            guard let snapshot = try? SLAClockRows.decoder.decode(SLASnapshot.self, from: Data((row["snapshot"] as String).utf8)),
                let state = try? SLAClockRows.decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8))
            else { return nil }
            var escalations: [SLATimer.Kind: Int] = [:]
            if let count = row["acknowledgeEscalations"] as Int?, count > 0 { escalations[.acknowledge] = count }
            if let count = row["resolveEscalations"] as Int?, count > 0 { escalations[.resolve] = count }
            return SLAClockEntry(
                incidentID: row["incidentId"], generation: row["generation"], snapshot: snapshot, state: state,
                endedAt: (row["endedAt"] as Int64?).map(Date.init(millis:)), escalations: escalations,
                reassignments: row["reassignments"], reopened: row["reopened"])
        }
    }
}
