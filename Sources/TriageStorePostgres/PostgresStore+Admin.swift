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
        try await transaction { c in
            // One writer at a time extends the chain, whichever instance it runs in.
            try await c.run("SELECT pg_advisory_xact_lock(\(Self.auditLock))", logger: logger)
            let previous = try await c.row("SELECT hash FROM auditEvent ORDER BY id DESC LIMIT 1", logger: logger)
                .map { try $0.get("hash", as: String?.self) } ?? nil
            let sealed = AuditChain.seal(entry, after: previous ?? AuditChain.genesis)
            try await c.query(
                """
                INSERT INTO auditEvent (at, actor, action, target, status, detail, previousHash, hash)
                VALUES (\(sealed.at.millis), \(sealed.actor), \(sealed.action), \(sealed.target), \(sealed.status),
                    \(sealed.detail), \(sealed.previousHash), \(sealed.hash))
                """, logger: logger)
        }
    }

    /// The advisory lock key that serialises appends to the audit trail.
    static let auditLock: Int64 = 0x7472_6961_6765_4175  // "triageAu"

    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await read { c in
            try await c.rows("SELECT * FROM auditEvent ORDER BY id DESC LIMIT \(limit)", logger: logger).map(Self.auditEntry)
        }
    }

    public func auditEntries(after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await read { c in
            try await c.rows(
                "SELECT * FROM auditEvent WHERE id > \(after) ORDER BY id LIMIT \(limit)", logger: logger
            ).map(Self.auditEntry)
        }
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.get("id"), at: Date(millis: try row.get("at")), actor: try row.get("actor"),
            action: try row.get("action"), target: try row.get("target"), status: try row.get("status"),
            detail: try row.get("detail"), previousHash: try row.get("previoushash", as: String?.self) ?? "",
            hash: try row.get("hash", as: String?.self) ?? "")
    }

    /// Seals entries written before the trail was chained, oldest first, on `c` (the migrating
    /// connection, right after migration v4 and within its advisory lock).
    static func sealUnchainedAudit(_ c: PostgresConnection, logger: Logger) async throws {
        try await c.query("BEGIN", logger: logger)
        do {
            var previous = AuditChain.genesis
            for row in try await c.rows("SELECT * FROM auditEvent ORDER BY id", logger: logger) {
                let entry = try auditEntry(row)
                let sealed = AuditChain.seal(entry, after: previous)
                try await c.query(
                    "UPDATE auditEvent SET previousHash = \(sealed.previousHash), hash = \(sealed.hash) WHERE id = \(entry.id ?? 0)",
                    logger: logger)
                previous = sealed.hash
            }
            try await c.query("COMMIT", logger: logger)
        } catch {
            _ = try? await c.query("ROLLBACK", logger: logger)
            throw error
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
