import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: OperationalStats {
    /// One query over the partial indexes `workItem_queued`, `workItem_leased`, `outbox_due` and
    /// `outbox_status`; the counts are those of one snapshot.
    public func queueStats(now: Date) async throws -> QueueStats {
        let ms = now.millis
        return try await read { c in
            guard
                let row = try await c.row(
                    """
                    SELECT
                        (SELECT COUNT(*) FROM workItem WHERE status = 'queued') AS queued,
                        (SELECT COUNT(*) FROM workItem WHERE status = 'leased') AS leased,
                        (SELECT MIN(availableAt) FROM workItem WHERE status = 'queued' AND availableAt <= \(ms)) AS duesince,
                        (SELECT MIN(leaseUntil) FROM workItem WHERE status = 'leased' AND leaseUntil <= \(ms)) AS expiredsince,
                        (SELECT COUNT(*) FROM outboxMessage WHERE status = 'pending') AS pending,
                        (SELECT COUNT(*) FROM outboxMessage WHERE status = 'dead') AS dead
                    """, logger: logger)
            else { return QueueStats() }
            let oldest = [try row.get("duesince", as: Int64?.self), try row.get("expiredsince", as: Int64?.self)]
                .compactMap { $0 }.min()
            return QueueStats(
                queued: try row.get("queued", as: Int.self), leased: try row.get("leased", as: Int.self),
                oldestQueuedAt: oldest.map(Date.init(millis:)), outboxPending: try row.get("pending", as: Int.self),
                outboxDead: try row.get("dead", as: Int.self))
        }
    }

    /// The known migrations missing from `triageMigration`.
    public func pendingMigrations() async throws -> [String] {
        let applied = Set(try await appliedMigrations())
        return Self.migrations.map(\.name).filter { !applied.contains($0) }
    }
}
