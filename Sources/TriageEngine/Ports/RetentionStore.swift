import Foundation
import TriageCore

/// Deletes (or blanks) stored data once retention makes it due, in bounded batches.
///
/// What each kind purges:
/// - ``RetentionKind/closedIncidents``, action `purge`: incidents resolved, closed or suppressed
///   before their cutoff (resolved: `resolvedAt`; suppressed: when last seen), with no pending
///   work or delivery, are deleted with everything recorded about them, after their SLA clocks are
///   copied to the SLA archive (``SLAHistoryStore`` keeps reading them). Action `redact`: the row
///   and its clocks stay; title, description, free-text labels (see
///   ``RetentionPolicy/redactedLabels(_:)``), event details, its payload and message bodies are blanked.
/// - ``RetentionKind/rawPayloads``: bodies received before their cutoff are deleted (the row of a
///   payload no incident refers to goes too).
/// - ``RetentionKind/deliveredMessages``: bodies of delivered, dead or dropped messages that ended
///   before their cutoff are blanked; the message and its attempts stay.
/// - ``RetentionKind/rejectedPayloads``: rejected requests received before their cutoff are deleted.
///
/// The vendor an override matches is the incident's assigned vendor (its decision); for a message,
/// the vendor it was addressed to; a rejected request has none.
public protocol RetentionStore: Sendable {
    /// How many rows of `kind` are due under `cutoffs` now (for closed incidents, those `action`
    /// would change: a redacted incident is not counted again), without changing anything.
    func retentionDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction
    ) async throws -> Int

    /// Purges at most `limit` rows of `kind` due under `cutoffs` in one transaction, and returns how
    /// many it purged; fewer than `limit` means none is left. Safe with several instances: each
    /// row is purged once, and one another instance is purging is skipped, not waited for.
    func purgeDue(
        _ kind: RetentionKind, cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction, limit: Int,
        now: Date
    ) async throws -> Int

    /// Gives the space purges freed back to the file system where the store must be told to
    /// (SQLite: `PRAGMA incremental_vacuum`); PostgreSQL's autovacuum does it unasked.
    func reclaimSpace() async throws
}

extension SLAClockEntry {
    /// `entries` ordered as ``SLAHistoryStore/slaClockEntries(from:to:vendor:)`` returns them: by
    /// start, incident id, then generation (used to merge archived clocks with current ones).
    public static func inStartOrder(_ entries: [SLAClockEntry]) -> [SLAClockEntry] {
        entries.sorted {
            ($0.state.startedAt, $0.incidentID, $0.generation) < ($1.state.startedAt, $1.incidentID, $1.generation)
        }
    }
}
