import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: IncidentStore {
    public func accept(_ intake: Intake) async throws -> IntakeReceipt {
        try await batcher.submit(intake)
    }

    /// Writes a batch of intakes in one transaction; each in its own savepoint, so one that fails
    /// (its caller gets the error) does not undo the others.
    static func write(_ intakes: [Intake], pool: DatabasePool) throws -> [Result<IntakeReceipt, any Error>] {
        try pool.write { db in
            var generator = SystemRandomNumberGenerator()
            var results: [Result<IntakeReceipt, any Error>] = []
            for intake in intakes {
                do {
                    var receipt = IntakeReceipt(incidents: [])
                    try db.inSavepoint {
                        receipt = try apply(intake, db: db, generator: &generator)
                        return .commit
                    }
                    results.append(.success(receipt))
                } catch {
                    results.append(.failure(error))
                }
            }
            if let newest = intakes.map(\.raw.receivedAt).max() {
                try db.cachedStatement(sql: "DELETE FROM webhookDelivery WHERE receivedAt < ?")
                    .execute(arguments: [newest.addingTimeInterval(-deliveryIDMemory).millis])
            }
            return results
        }
    }

    /// How long delivery ids are remembered for replay detection (7 days).
    static let deliveryIDMemory: TimeInterval = 7 * 86_400

    static func apply(
        _ intake: Intake, db: Database, generator: inout SystemRandomNumberGenerator
    ) throws -> IntakeReceipt {
        let raw = intake.raw
        if let deliveryID = raw.deliveryID {
            try db.cachedStatement(
                sql: "INSERT INTO webhookDelivery (source, deliveryId, receivedAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
            ).execute(arguments: [raw.source, deliveryID, raw.receivedAt.millis])
            if db.changesCount == 0 { return IntakeReceipt(incidents: [], replayedDelivery: true) }
        }
        try db.cachedStatement(sql: "INSERT INTO rawPayload (source, contentType, body, receivedAt) VALUES (?, ?, ?, ?)")
            .execute(arguments: [raw.source, raw.contentType, Data(raw.body), raw.receivedAt.millis])
        if let feedback = intake.feedback {
            return IntakeReceipt(incidents: try FeedbackIntake(db: db, feedback: feedback, raw: raw).apply(intake.drafts))
        }
        var lifecycle = IncidentLifecycle(db: db, rawID: db.lastInsertedRowID, now: raw.receivedAt)
        let incidents = try intake.drafts.map { draft in
            try lifecycle.apply(draft, refire: intake.refire, generator: &generator)
        }
        return IntakeReceipt(incidents: incidents)
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
