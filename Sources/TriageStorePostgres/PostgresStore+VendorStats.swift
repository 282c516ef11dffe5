import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: VendorStatsStore {
    /// Every vendor's stats, read from the counters assignment and resolution keep; resolution
    /// targets met and missed are counted from `since`.
    public func vendorStats(since: Date) async throws -> [String: VendorStats] {
        let day = PGVendorCounts.day(since)
        return try await read { c in
            var stats: [String: VendorStats] = [:]
            for row in try await c.rows("SELECT vendor, priority, open FROM vendorLoad WHERE open > 0", logger: logger) {
                let vendor = try row.get("vendor", as: String.self)
                let open = try row.get("open", as: Int.self)
                stats[vendor, default: VendorStats()].open += open
                if let priority = Priority(rawValue: try row.get("priority", as: String.self)) {
                    stats[vendor, default: VendorStats()].openByPriority[priority] = open
                }
            }
            for row in try await c.rows(
                """
                SELECT vendor, SUM(assigned)::BIGINT AS assigned,
                    SUM(CASE WHEN day >= \(day) THEN met ELSE 0 END)::BIGINT AS met,
                    SUM(CASE WHEN day >= \(day) THEN missed ELSE 0 END)::BIGINT AS missed
                FROM vendorDaily GROUP BY vendor
                """, logger: logger)
            {
                let vendor = try row.get("vendor", as: String.self)
                stats[vendor, default: VendorStats()].assigned = try row.get("assigned", as: Int.self)
                stats[vendor, default: VendorStats()].met = try row.get("met", as: Int.self)
                stats[vendor, default: VendorStats()].missed = try row.get("missed", as: Int.self)
            }
            for row in try await c.rows("SELECT vendor, service, handled FROM vendorAffinity", logger: logger) {
                let vendor = try row.get("vendor", as: String.self)
                stats[vendor, default: VendorStats()].affinity[try row.get("service", as: String.self)] =
                    try row.get("handled", as: Int.self)
            }
            for (vendor, reason) in try await Self.disabledVendors(c, logger: logger) {
                stats[vendor, default: VendorStats()].disabledBecause = reason
            }
            return stats
        }
    }
}
