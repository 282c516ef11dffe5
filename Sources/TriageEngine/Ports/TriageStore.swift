import Foundation

/// Every port one store implements: what `triage serve` needs from SQLite or PostgreSQL.
public protocol TriageStore:
    IncidentStore, WorkQueue, Outbox, OutboxAdmin, ModelStore, VendorStatsStore, ReassignmentStore, SLAClockStore,
    SLAHistoryStore, LifecycleStore, IncidentArchiveStore, IncidentQuery, AdminStore, OperationalStats, RetentionStore,
    RawBodyStore
{
    /// Rows per table (`incident`, `workItem`, `outboxMessage`, …), for tests and operators.
    func counts() async throws -> [String: Int]
}
