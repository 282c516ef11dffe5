import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: VendorStatsStore {
    public func vendorStats(since: Date) async throws -> [String: VendorStats] {
        try await pool.read { db in
            var stats: [String: VendorStats] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT vendor, priority, open FROM vendorLoad WHERE open > 0") {
                let vendor: String = row["vendor"]
                let open: Int = row["open"]
                stats[vendor, default: VendorStats()].open += open
                if let priority = Priority(rawValue: row["priority"]) {
                    stats[vendor, default: VendorStats()].openByPriority[priority] = open
                }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT vendor, SUM(assigned) AS assigned,
                        SUM(CASE WHEN day >= ? THEN met ELSE 0 END) AS met,
                        SUM(CASE WHEN day >= ? THEN missed ELSE 0 END) AS missed
                    FROM vendorDaily GROUP BY vendor
                    """,
                arguments: [Self.day(since), Self.day(since)])
            {
                let vendor: String = row["vendor"]
                stats[vendor, default: VendorStats()].assigned = row["assigned"]
                stats[vendor, default: VendorStats()].met = row["met"]
                stats[vendor, default: VendorStats()].missed = row["missed"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT vendor, service, handled FROM vendorAffinity") {
                let vendor: String = row["vendor"]
                stats[vendor, default: VendorStats()].affinity[row["service"]] = row["handled"]
            }
            for (vendor, reason) in try Self.disabledVendors(db) {
                stats[vendor, default: VendorStats()].disabledBecause = reason
            }
            return stats
        }
    }

    /// The UTC day of an instant, `2026-11-29`, the key of `vendorDaily`.
    static func day(_ date: Date) -> String {
        String(RFC3339.format(date).prefix(10))
    }

    /// Counts an assignment: one more open incident, one more assigned today, affinity for the service.
    static func countAssignment(_ db: Database, vendor: String, priority: Priority, service: String?, at: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO vendorLoad (vendor, priority, open) VALUES (?, ?, 1)
                ON CONFLICT (vendor, priority) DO UPDATE SET open = open + 1
                """, arguments: [vendor, priority.rawValue])
        try db.execute(
            sql: """
                INSERT INTO vendorDaily (vendor, day, assigned, met, missed) VALUES (?, ?, 1, 0, 0)
                ON CONFLICT (vendor, day) DO UPDATE SET assigned = assigned + 1
                """, arguments: [vendor, day(at)])
        if let service, !service.isEmpty {
            try db.execute(
                sql: """
                    INSERT INTO vendorAffinity (vendor, service, handled) VALUES (?, ?, 1)
                    ON CONFLICT (vendor, service) DO UPDATE SET handled = handled + 1
                    """, arguments: [vendor, service.lowercased()])
        }
    }

    /// A reopened incident is open again for its vendor: its load counts it once more.
    static func countReopen(_ db: Database, incidentID: String) throws {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT vendor, priority FROM decision WHERE incidentId = ? AND vendor IS NOT NULL", arguments: [incidentID])
        else { return }
        try db.execute(
            sql: """
                INSERT INTO vendorLoad (vendor, priority, open) VALUES (?, ?, 1)
                ON CONFLICT (vendor, priority) DO UPDATE SET open = open + 1
                """, arguments: [row["vendor"] as String, row["priority"] as String])
    }

    /// Counts the end of an assignment (resolution or reassignment away): one fewer open incident,
    /// and on resolution whether the resolve target was met.
    static func countRelease(_ db: Database, incidentID: String, at: Date, resolved: Bool) throws {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT d.vendor, d.priority FROM decision d
                WHERE d.incidentId = ? AND d.vendor IS NOT NULL
                    AND EXISTS (SELECT 1 FROM outboxMessage o WHERE o.incidentId = d.incidentId AND o.vendor = d.vendor)
                """, arguments: [incidentID])
        else { return }
        let vendor: String = row["vendor"]
        let priority: String = row["priority"]
        try db.execute(
            sql: "UPDATE vendorLoad SET open = MAX(open - 1, 0) WHERE vendor = ? AND priority = ?",
            arguments: [vendor, priority])
        guard resolved else { return }
        let due = try Int64.fetchOne(
            db, sql: """
                SELECT dueAt FROM slaTimer WHERE incidentId = ? AND kind = 'resolve' AND step = -1
                ORDER BY generation DESC, occurrence LIMIT 1
                """, arguments: [incidentID])
        guard let due else { return }
        let met = at.millis <= due
        try db.execute(
            sql: """
                INSERT INTO vendorDaily (vendor, day, assigned, met, missed) VALUES (?, ?, 0, ?, ?)
                ON CONFLICT (vendor, day) DO UPDATE SET met = met + excluded.met, missed = missed + excluded.missed
                """, arguments: [vendor, day(at), met ? 1 : 0, met ? 0 : 1])
    }
}
