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
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM auditEvent ORDER BY id DESC LIMIT 1") ?? AuditChain.genesis
            let sealed = AuditChain.seal(entry, after: previous)
            try db.execute(
                sql: """
                    INSERT INTO auditEvent (at, actor, action, target, status, detail, previousHash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sealed.at.millis, sealed.actor, sealed.action, sealed.target, sealed.status, sealed.detail,
                    sealed.previousHash, sealed.hash,
                ])
        }
    }

    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.auditEntry)
        }
    }

    public func auditEntries(after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM auditEvent WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit]
            ).map(Self.auditEntry)
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            id: row["id"], at: Date(millis: row["at"]), actor: row["actor"], action: row["action"], target: row["target"],
            status: row["status"], detail: row["detail"], previousHash: row["previousHash"] ?? "", hash: row["hash"] ?? "")
    }

    /// Seals entries written before the trail was chained (migration v-audit-chain), oldest first.
    static func sealUnchainedAudit(_ db: Database) throws {
        var previous = AuditChain.genesis
        for row in try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY id") {
            let entry = auditEntry(row)
            let sealed = AuditChain.seal(entry, after: previous)
            try db.execute(
                sql: "UPDATE auditEvent SET previousHash = ?, hash = ? WHERE id = ?",
                arguments: [sealed.previousHash, sealed.hash, entry.id])
            previous = sealed.hash
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
