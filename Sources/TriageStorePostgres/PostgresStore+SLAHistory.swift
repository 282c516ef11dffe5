import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: SLAHistoryStore {
    /// Clocks started in [from, to), current and ended turns alike, for one vendor or all, oldest
    /// first; with the steps fired on each turn and the incident's reassignments and reopening.
    public func slaClockEntries(from: Date, to: Date, vendor: String?) async throws -> [SLAClockEntry] {
        try await read { c in
            let rows = try await c.rows(
                """
                SELECT incidentId, generation, snapshot, state, startedAt, NULL::BIGINT AS endedAt FROM slaClock
                WHERE startedAt >= \(from.millis) AND startedAt < \(to.millis) AND (\(vendor)::text IS NULL OR vendor = \(vendor))
                UNION ALL
                SELECT incidentId, generation, snapshot, state, startedAt, endedAt FROM slaClockHistory
                WHERE startedAt >= \(from.millis) AND startedAt < \(to.millis) AND (\(vendor)::text IS NULL OR vendor = \(vendor))
                ORDER BY startedAt, incidentId, generation
                """, logger: logger)
            var turns: [(key: String, generation: Int, snapshot: String, state: String, endedAt: Int64?)] = []
            for row in rows {
                turns.append(
                    (
                        try row.get("incidentid"), try row.get("generation"), try row.get("snapshot"), try row.get("state"),
                        try row.get("endedat")
                    ))
            }
            // Clocks of incidents retention purged count as before.
            let archived = try await Self.archivedSLAEntries(c, from: from, to: to, vendor: vendor, logger: logger)
            guard !turns.isEmpty else { return archived }
            let keys = Array(Set(turns.map(\.key)))
            // Steps fired per turn and target (deadlines, step -1, are not escalations).
            var escalations: [String: [SLATimer.Kind: Int]] = [:]
            for row in try await c.rows(
                """
                SELECT incidentId, generation, kind, COUNT(*) AS n FROM slaTimer
                WHERE incidentId = ANY(\(keys)) AND status = 'fired' AND step >= 0 GROUP BY incidentId, generation, kind
                """, logger: logger)
            {
                guard let kind = SLATimer.Kind(rawValue: try row.get("kind", as: String.self)) else { continue }
                let turn = "\(try row.get("incidentid", as: String.self))/\(try row.get("generation", as: Int.self))"
                escalations[turn, default: [:]][kind] = try row.get("n", as: Int.self)
            }
            var facts: [String: (reopenCount: Int, generations: Int?)] = [:]
            for row in try await c.rows(
                """
                SELECT i.id, i.reopenCount, (SELECT MAX(generation) FROM slaClock c WHERE c.incidentId = i.id) AS generations
                FROM incident i WHERE i.id = ANY(\(keys))
                """, logger: logger)
            {
                facts[try row.get("id")] = (try row.get("reopencount"), try row.get("generations"))
            }
            let live = turns.compactMap { turn -> SLAClockEntry? in
                guard let snapshot = try? PGClockRows.decoder.decode(SLASnapshot.self, from: Data(turn.snapshot.utf8)),
                    let state = try? PGClockRows.decoder.decode(SLAClockState.self, from: Data(turn.state.utf8))
                else { return nil }
                let incident = facts[turn.key]
                return SLAClockEntry(
                    incidentID: turn.key, generation: turn.generation, snapshot: snapshot, state: state,
                    endedAt: turn.endedAt.map(Date.init(millis:)),
                    escalations: escalations["\(turn.key)/\(turn.generation)"] ?? [:],
                    reassignments: max(0, (incident?.generations ?? 1) - 1), reopened: (incident?.reopenCount ?? 0) > 0)
            }
            return archived.isEmpty ? live : SLAClockEntry.inStartOrder(live + archived)
        }
    }
}
