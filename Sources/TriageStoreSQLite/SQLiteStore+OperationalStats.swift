import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: OperationalStats {
    /// One read over the indexes of `workItem(status, availableAt)` and `outboxMessage(status, nextAttemptAt)`.
    public func queueStats(now: Date) async throws -> QueueStats {
        let ms = now.millis
        return try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT
                            (SELECT COUNT(*) FROM workItem WHERE status = 'queued') AS queued,
                            (SELECT COUNT(*) FROM workItem WHERE status = 'leased') AS leased,
                            (SELECT MIN(availableAt) FROM workItem WHERE status = 'queued' AND availableAt <= ?) AS dueSince,
                            (SELECT MIN(leaseUntil) FROM workItem WHERE status = 'leased' AND leaseUntil <= ?) AS expiredSince,
                            (SELECT COUNT(*) FROM outboxMessage WHERE status = 'pending') AS pending,
                            (SELECT COUNT(*) FROM outboxMessage WHERE status = 'dead') AS dead
                        """,
                    arguments: [ms, ms])
            else { return QueueStats() }
            let oldest = [row["dueSince"] as Int64?, row["expiredSince"] as Int64?].compactMap { $0 }.min()
            return QueueStats(
                queued: row["queued"], leased: row["leased"], oldestQueuedAt: oldest.map(Date.init(millis:)),
                outboxPending: row["pending"], outboxDead: row["dead"])
        }
    }

    /// The migrator's migrations missing from `grdb_migrations`.
    public func pendingMigrations() async throws -> [String] {
        let migrator = Self.migrator
        return try await pool.read { db in
            let applied = try migrator.appliedIdentifiers(db)
            return migrator.migrations.filter { !applied.contains($0) }
        }
    }
}
