import Foundation
import TriageEngine
import TriageStoreSQLite

/// The pipeline stages a kill can interrupt. Just before each kill the killer reads which have
/// pending work (here) and which are moving (``CrashActivity``): a stage with both is under way.
enum CrashStage: String, CaseIterable, Sendable {
    /// Webhooks on the wire (sent, not answered yet).
    case ingest
    /// Incidents in the work queue, queued or leased.
    case triage
    /// Outbox messages (dispatches and SLA notices) not delivered yet.
    case delivery
    /// SLA timers due and not fired yet.
    case timers

    /// The stages with pending work now, read from the senders and the store.
    static func pending(ledger: CrashLedger, store: SQLiteStore) async throws -> Set<CrashStage> {
        let now = Date()
        var stages: Set<CrashStage> = []
        if ledger.inFlight > 0 { stages.insert(.ingest) }
        let queue = try await store.queueStats(now: now)
        if queue.depth > 0 { stages.insert(.triage) }
        if queue.outboxPending > 0 { stages.insert(.delivery) }
        if let next = try await store.nextTimerDue(), next <= now { stages.insert(.timers) }
        return stages
    }
}
