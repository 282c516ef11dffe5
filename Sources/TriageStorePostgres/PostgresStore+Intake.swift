import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: IncidentStore {
    /// Stores the raw payload and applies each draft, in one transaction per call: PostgreSQL runs
    /// concurrent intakes side by side, so there is no group commit as in the SQLite store.
    ///
    /// A delivery id already recorded for the source (by any receiver) makes the request a
    /// replay: nothing is stored. A transaction that queued an incident for triage sends
    /// `NOTIFY triage_work`, delivered to idle workers when it commits.
    public func accept(_ intake: Intake) async throws -> IntakeReceipt {
        try await transaction { connection in
            try await Self.applyIntake(intake, connection, logger: logger)
        }
    }

    /// How long delivery ids are remembered for replay detection (7 days), as in the SQLite store.
    static let deliveryIDMemory: TimeInterval = 7 * 86_400

    /// One intake inside the caller's transaction (re-runnable: the transaction may be retried).
    static func applyIntake(_ intake: Intake, _ c: PostgresConnection, logger: Logger) async throws -> IntakeReceipt {
        let raw = intake.raw
        let receipt = try await receive(intake, c, logger: logger)
        // Forget delivery ids past their memory (only senders that send ids add any); rows another
        // intake is deleting are skipped, not waited for.
        guard raw.deliveryID != nil else { return receipt }
        let cutoff = raw.receivedAt.addingTimeInterval(-deliveryIDMemory).millis
        try await c.query(
            """
            DELETE FROM webhookDelivery WHERE (source, deliveryId) IN (
                SELECT source, deliveryId FROM webhookDelivery WHERE receivedAt < \(cutoff) FOR UPDATE SKIP LOCKED)
            """, logger: logger)
        return receipt
    }

    /// Records the delivery id, the raw payload, and what each draft did.
    static func receive(_ intake: Intake, _ c: PostgresConnection, logger: Logger) async throws -> IntakeReceipt {
        let raw = intake.raw
        if let deliveryID = raw.deliveryID {
            // The primary key decides between receivers: a concurrent insert of the same id waits
            // for the first to commit, then finds the conflict.
            let recorded = try await c.run(
                """
                INSERT INTO webhookDelivery (source, deliveryId, receivedAt) VALUES (\(raw.source), \(deliveryID), \(raw.receivedAt.millis))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            if recorded == 0 { return IntakeReceipt(incidents: [], replayedDelivery: true) }
        }
        guard let rawID = try await c.row(
            """
            INSERT INTO rawPayload (source, contentType, body, receivedAt)
            VALUES (\(raw.source), \(raw.contentType), \(Data(raw.body)), \(raw.receivedAt.millis))
            RETURNING id
            """, logger: logger)?.get("id", as: Int64.self)
        else { throw PGIncidentLifecycle.Failure(description: "the raw payload was not stored") }
        if let feedback = intake.feedback {
            let incidents = try await PGFeedbackIntake(c: c, feedback: feedback, raw: raw, logger: logger).apply(intake.drafts)
            return IntakeReceipt(incidents: incidents)
        }
        let lifecycle = PGIncidentLifecycle(c: c, rawID: rawID, now: raw.receivedAt, logger: logger)
        var generator = SystemRandomNumberGenerator()
        var incidents: [AcceptedIncident] = []
        for draft in intake.drafts {
            incidents.append(try await lifecycle.apply(draft, refire: intake.refire, generator: &generator))
        }
        if incidents.contains(where: { $0.outcome == .created || $0.outcome == .reopened }) {
            try await c.query("NOTIFY triage_work", logger: logger)
        }
        return IntakeReceipt(incidents: incidents)
    }

    /// Keeps a rejected webhook body; the oldest beyond `keep` are pruned, in the same transaction.
    public func recordRejected(_ rejected: RejectedPayload, keep: Int) async throws {
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO rejectedPayload (source, contentType, body, receivedAt, reason, status, bodyBytes, truncated)
                VALUES (\(rejected.source), \(rejected.contentType), \(Data(rejected.body.utf8)), \(rejected.receivedAt.millis),
                    \(rejected.reason), \(rejected.status), \(rejected.bodyBytes), \(rejected.truncated ? 1 : 0))
                """, logger: logger)
            try await c.query(
                "DELETE FROM rejectedPayload WHERE id <= (SELECT MAX(id) FROM rejectedPayload) - \(keep)", logger: logger)
        }
    }

    /// The most recent rejected payloads (of `source`, or of every source), newest first.
    public func rejectedPayloads(source: String?, limit: Int) async throws -> [RejectedPayload] {
        try await read { c in
            try await c.rows(
                """
                SELECT * FROM rejectedPayload WHERE (\(source)::text IS NULL OR source = \(source)::text)
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).map { row in
                RejectedPayload(
                    id: try row.get("id"), source: try row.get("source"), status: try row.get("status"),
                    reason: try row.get("reason"), contentType: try row.get("contenttype"),
                    body: String(decoding: try row.get("body", as: Data.self), as: UTF8.self),
                    bodyBytes: try row.get("bodybytes"), truncated: try row.get("truncated", as: Int.self) != 0,
                    receivedAt: Date(millis: try row.get("receivedat")))
            }
        }
    }

    /// Whether the database answers (for `/readyz`).
    public func ping() async throws {
        _ = try await read { c in try await c.run("SELECT 1", logger: logger) }
    }
}
