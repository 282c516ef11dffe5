import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: AdminStore {
    public func setVendorDisabled(_ vendor: String, reason: String?, actor: String, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO vendorSwitch (vendor, disabledBecause, actor, changedAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT (vendor) DO UPDATE SET disabledBecause = excluded.disabledBecause, actor = excluded.actor,
                        changedAt = excluded.changedAt
                    """, arguments: [vendor, reason, actor, at.millis])
        }
    }

    public func audit(_ entry: AuditEntry) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO auditEvent (at, actor, action, target, status, detail) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [entry.at.millis, entry.actor, entry.action, entry.target, entry.status, entry.detail])
        }
    }

    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEntry(
                    id: row["id"], at: Date(millis: row["at"]), actor: row["actor"], action: row["action"], target: row["target"],
                    status: row["status"], detail: row["detail"])
            }
        }
    }

    /// Operators' switches, by vendor (read with the vendor stats).
    static func disabledVendors(_ db: Database) throws -> [String: String] {
        var disabled: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT vendor, disabledBecause FROM vendorSwitch WHERE disabledBecause IS NOT NULL") {
            disabled[row["vendor"]] = row["disabledBecause"]
        }
        return disabled
    }
}
