import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TriageCore

/// Applies the retention policy: at start, then every `check_every` of the clock, purges what is
/// due kind by kind (``RetentionKind`` order) in bounded batches, each its own transaction, so
/// the writer is never held for long.
///
/// After a sweep that purged anything it gives the freed space back (``RetentionStore/reclaimSpace()``),
/// appends one audit entry (actor `retention`, the counts per kind, never contents) and logs the
/// counts. `triage_retention_purged_total{what}` counts rows purged, `what` being a
/// ``RetentionKind`` raw value, or `redacted_incidents` for closed incidents redacted instead.
/// A failed sweep is logged (what it purged before failing is still audited) and the next one
/// tries again; the loop ends at graceful shutdown. Several instances may sweep at once: the
/// store purges each row once.
public struct RetentionSweeper<Clock: TriageClock>: Service {
    /// Batch sizes.
    public struct Configuration: Sendable {
        /// Rows purged per transaction.
        public var batchSize: Int
        /// Batches per kind and sweep at most; the next sweep goes on where this one stopped.
        public var maxBatches: Int

        /// Batches of `batchSize` rows, at most `maxBatches` per kind and sweep.
        public init(batchSize: Int = 500, maxBatches: Int = 10_000) {
            self.batchSize = batchSize
            self.maxBatches = maxBatches
        }
    }

    /// What one sweep purged.
    public struct Sweep: Sendable, Equatable {
        /// Rows purged per `what` label, in sweep order; a kind with nothing purged is left out.
        public var purged: [(what: String, count: Int)] = []

        /// A sweep that purged nothing yet.
        public init() {}

        /// Rows purged in all.
        public var total: Int { purged.reduce(0) { $0 + $1.count } }

        /// The count for one `what` label (0 when none).
        public subscript(what: String) -> Int { purged.first { $0.what == what }?.count ?? 0 }

        /// `closed_incidents=3 raw_payloads=12`: counts only, as the audit entry and the log say it.
        public var summary: String { purged.map { "\($0.what)=\($0.count)" }.joined(separator: " ") }

        mutating func add(_ what: String, _ count: Int) {
            if let index = purged.firstIndex(where: { $0.what == what }) {
                purged[index].count += count
            } else {
                purged.append((what, count))
            }
        }

        /// The same counts for the same labels, in the same order.
        public static func == (lhs: Sweep, rhs: Sweep) -> Bool {
            lhs.purged.map(\.what) == rhs.purged.map(\.what) && lhs.purged.map(\.count) == rhs.purged.map(\.count)
        }
    }

    let store: any RetentionStore
    let audit: any AdminStore
    let policy: RetentionPolicy
    let clock: Clock
    let configuration: Configuration
    let logger: Logger

    /// - Parameters:
    ///   - store: Where the data is (the store).
    ///   - audit: Where each sweep that purged something is recorded (the store).
    ///   - policy: The ages, read once: a changed `retention.yaml` takes effect at restart.
    public init(
        store: any RetentionStore, audit: any AdminStore, policy: RetentionPolicy, clock: Clock,
        configuration: Configuration = Configuration(), logger: Logger
    ) {
        self.store = store
        self.audit = audit
        self.policy = policy
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// Sweeps at once, then every `policy.checkEvery` of the clock, until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PeriodicLoop.run(every: policy.checkEvery, clock: clock, logger: logger, failure: "retention sweep failed") {
                _ = try await sweep()
            }
        }
    }

    /// One sweep at the clock's now: every kind with an age, batch after batch until none is
    /// due. Throws the first store error (after auditing what was purged until then).
    @discardableResult
    public func sweep() async throws -> Sweep {
        let now = clock.now()
        var sweep = Sweep()
        do {
            for kind in RetentionKind.allCases {
                let cutoffs = policy.cutoffs(kind, now: now)
                guard !cutoffs.keepsEverything else { continue }
                let what = Self.what(kind, action: policy.closedIncidentAction)
                for _ in 0..<max(1, configuration.maxBatches) {
                    try Task.checkCancellation()
                    let purged = try await store.purgeDue(
                        kind, cutoffs: cutoffs, action: policy.closedIncidentAction, limit: configuration.batchSize, now: now)
                    if purged > 0 {
                        sweep.add(what, purged)
                        Counter(label: "triage_retention_purged_total", dimensions: [("what", what)]).increment(by: purged)
                    }
                    if purged < configuration.batchSize { break }
                    // Let the intake and the worker in between two batches.
                    await Task.yield()
                }
            }
        } catch {
            try? await finish(sweep, at: now)
            throw error
        }
        try await finish(sweep, at: now)
        return sweep
    }

    /// The `what` label of `kind`'s purges.
    public static func what(_ kind: RetentionKind, action: RetentionPolicy.ClosedIncidentAction) -> String {
        kind == .closedIncidents && action == .redact ? "redacted_incidents" : kind.rawValue
    }

    /// Reclaims space, audits and logs a sweep that purged something.
    func finish(_ sweep: Sweep, at now: Date) async throws {
        guard sweep.total > 0 else {
            logger.debug("retention sweep: nothing due")
            return
        }
        var metadata: Logger.Metadata = [:]
        for (what, count) in sweep.purged { metadata[what] = "\(count)" }
        logger.info("retention sweep purged", metadata: metadata)
        try await audit.audit(
            AuditEntry(
                at: now, actor: "retention", action: "retention purge", target: "store", status: 200, detail: sweep.summary))
        try await store.reclaimSpace()
    }
}
