import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: SLAHistoryStore {
    public func slaClockEntries(from: Date, to: Date, vendor: String?) async throws -> [SLAClockEntry] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT incidentId, generation, snapshot, state, startedAt, NULL AS endedAt FROM slaClock
                    WHERE startedAt >= ? AND startedAt < ? AND (? IS NULL OR vendor = ?)
                    UNION ALL
                    SELECT incidentId, generation, snapshot, state, startedAt, endedAt FROM slaClockHistory
                    WHERE startedAt >= ? AND startedAt < ? AND (? IS NULL OR vendor = ?)
                    ORDER BY startedAt, incidentId, generation
                    """,
                arguments: [from.millis, to.millis, vendor, vendor, from.millis, to.millis, vendor, vendor])
            let fired = try db.cachedStatement(
                sql: """
                    SELECT kind, COUNT(*) AS n FROM slaTimer
                    WHERE incidentId = ? AND generation = ? AND status = 'fired' AND step >= 0 GROUP BY kind
                    """)
            let facts = try db.cachedStatement(
                sql: """
                    SELECT i.reopenCount, (SELECT MAX(generation) FROM slaClock c WHERE c.incidentId = i.id) AS generations
                    FROM incident i WHERE i.id = ?
                    """)
            let live = try rows.compactMap { row -> SLAClockEntry? in
                let key: String = row["incidentId"]
                let generation: Int = row["generation"]
                guard let snapshot = try? SLAClockRows.decoder.decode(SLASnapshot.self, from: Data((row["snapshot"] as String).utf8)),
                    let state = try? SLAClockRows.decoder.decode(SLAClockState.self, from: Data((row["state"] as String).utf8))
                else { return nil }
                var escalations: [SLATimer.Kind: Int] = [:]
                for count in try Row.fetchAll(fired, arguments: [key, generation]) {
                    if let kind = SLATimer.Kind(rawValue: count["kind"]) { escalations[kind] = count["n"] }
                }
                let incident = try Row.fetchOne(facts, arguments: [key])
                return SLAClockEntry(
                    incidentID: key, generation: generation, snapshot: snapshot, state: state,
                    endedAt: (row["endedAt"] as Int64?).map(Date.init(millis:)), escalations: escalations,
                    reassignments: max(0, ((incident?["generations"] as Int?) ?? 1) - 1),
                    reopened: ((incident?["reopenCount"] as Int?) ?? 0) > 0)
            }
            // Clocks of incidents retention purged count as before.
            let archived = try Self.archivedSLAEntries(db, from: from, to: to, vendor: vendor)
            return archived.isEmpty ? live : SLAClockEntry.inStartOrder(live + archived)
        }
    }
}
