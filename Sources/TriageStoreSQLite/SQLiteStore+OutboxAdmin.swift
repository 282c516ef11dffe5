import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: OutboxAdmin {
    public func outboxEntries(status: String?, limit: Int) async throws -> [OutboxEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outboxMessage WHERE (? IS NULL OR status = ?) ORDER BY createdAt DESC, id DESC LIMIT ?
                    """, arguments: [status, status, limit]
            ).map { row in
                let status: String = row["status"]
                return OutboxEntry(
                    id: row["id"], incidentID: row["incidentId"], vendor: row["vendor"], endpoint: row["endpoint"],
                    status: status, attempts: row["attempts"],
                    nextAttemptAt: status == "pending" ? Date(millis: row["nextAttemptAt"]) : nil,
                    createdAt: Date(millis: row["createdAt"]),
                    deliveredAt: (row["deliveredAt"] as Int64?).map(Date.init(millis:)), reason: row["deadReason"])
            }
        }
    }

    public func retryMessage(_ id: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET status = 'pending', nextAttemptAt = ?, leaseOwner = NULL, leaseUntil = NULL,
                        deadReason = NULL
                    WHERE id = ? AND status IN ('dead', 'dropped') AND purgedAt IS NULL
                    """, arguments: [now.millis, id])
            guard db.changesCount == 1,
                let incident = try String.fetchOne(db, sql: "SELECT incidentId FROM outboxMessage WHERE id = ?", arguments: [id])
            else { return false }
            try Self.event(db, incident, now.millis, "redelivery", "message \(id) queued again by an operator")
            return true
        }
    }

    public func dropMessage(_ id: String, reason: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outboxMessage SET status = 'dropped', deadReason = ?, leaseOwner = NULL, leaseUntil = NULL
                    WHERE id = ? AND status IN ('pending', 'dead')
                    """, arguments: ["dropped by an operator: \(reason)", id])
            guard db.changesCount == 1,
                let incident = try String.fetchOne(db, sql: "SELECT incidentId FROM outboxMessage WHERE id = ?", arguments: [id])
            else { return false }
            try Self.event(db, incident, now.millis, "dropped", "message \(id): \(reason)")
            return true
        }
    }
}
