import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: AdminStore {
    public func setVendorDisabled(_ vendor: String, reason: String?, actor: String, at: Date) async throws {
        try await read { c in
            try await c.query(
                """
                INSERT INTO vendorSwitch (vendor, disabledBecause, actor, changedAt) VALUES (\(vendor), \(reason), \(actor), \(at.millis))
                ON CONFLICT (vendor) DO UPDATE SET disabledBecause = excluded.disabledBecause, actor = excluded.actor,
                    changedAt = excluded.changedAt
                """, logger: logger)
        }
    }

    public func audit(_ entry: AuditEntry) async throws {
        try await read { c in
            try await c.query(
                """
                INSERT INTO auditEvent (at, actor, action, target, status, detail)
                VALUES (\(entry.at.millis), \(entry.actor), \(entry.action), \(entry.target), \(entry.status), \(entry.detail))
                """, logger: logger)
        }
    }

    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await read { c in
            try await c.rows("SELECT * FROM auditEvent ORDER BY id DESC LIMIT \(limit)", logger: logger).map { row in
                AuditEntry(
                    id: try row.get("id"), at: Date(millis: try row.get("at")), actor: try row.get("actor"),
                    action: try row.get("action"), target: try row.get("target"), status: try row.get("status"),
                    detail: try row.get("detail"))
            }
        }
    }

    /// Operators' switches, by vendor (read with the vendor stats).
    static func disabledVendors(_ c: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var disabled: [String: String] = [:]
        for row in try await c.rows(
            "SELECT vendor, disabledBecause AS reason FROM vendorSwitch WHERE disabledBecause IS NOT NULL", logger: logger)
        {
            disabled[try row.get("vendor", as: String.self)] = try row.get("reason", as: String.self)
        }
        return disabled
    }
}
