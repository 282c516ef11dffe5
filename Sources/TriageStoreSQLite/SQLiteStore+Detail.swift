import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore {
    public func incident(_ id: IncidentID) async throws -> IncidentDetail? {
        try await pool.read { db in
            guard let incident = try Self.fetchIncident(db, id: id.rawValue) else { return nil }
            let key = id.rawValue
            let queueState = try String.fetchOne(
                db, sql: "SELECT status FROM workItem WHERE incidentId = ?", arguments: [key])
            var decision: Decision?
            if let body = try String.fetchOne(db, sql: "SELECT body FROM decision WHERE incidentId = ?", arguments: [key]) {
                decision = try JSONDecoder().decode(Decision.self, from: Data(body.utf8))
            }
            var deliveries: [DeliveryRecord] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM outboxMessage WHERE incidentId = ? ORDER BY createdAt, id", arguments: [key])
            {
                let messageID: String = row["id"]
                let status: String = row["status"]
                let attempts = try Row.fetchAll(
                    db, sql: "SELECT * FROM deliveryAttempt WHERE messageId = ? ORDER BY number", arguments: [messageID]
                ).map(Self.attempt(from:))
                deliveries.append(
                    DeliveryRecord(
                        messageID: messageID,
                        vendor: row["vendor"],
                        endpoint: row["endpoint"],
                        status: status,
                        attempts: attempts,
                        nextAttemptAt: status == "pending" ? Date(millis: row["nextAttemptAt"]) : nil,
                        deliveredAt: (row["deliveredAt"] as Int64?).map(Date.init(millis:))
                    )
                )
            }
            let timers = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, dueAt, status, step, occurrence, generation, firedAt, late, label FROM slaTimer
                    WHERE incidentId = ? ORDER BY dueAt, id
                    """, arguments: [key]
            ).compactMap { row -> TimerRecord? in
                guard let kind = SLATimer.Kind(rawValue: row["kind"]) else { return nil }
                return TimerRecord(
                    kind: kind, dueAt: Date(millis: row["dueAt"]), status: row["status"], step: row["step"], label: row["label"],
                    occurrence: row["occurrence"], generation: row["generation"],
                    firedAt: (row["firedAt"] as Int64?).map(Date.init(millis:)), late: (row["late"] as Int) == 1)
            }
            let events = try Row.fetchAll(
                db, sql: "SELECT at, kind, detail FROM incidentEvent WHERE incidentId = ? ORDER BY id", arguments: [key]
            ).map { EventRecord(at: Date(millis: $0["at"]), kind: $0["kind"], detail: $0["detail"]) }
            var detail = IncidentDetail(
                incident: incident,
                queueState: queueState,
                decision: decision,
                deliveries: deliveries,
                timers: timers,
                events: events
            )
            detail.phase = try String.fetchOne(
                db, sql: "SELECT COALESCE(phase, CASE status WHEN 'open' THEN 'new' ELSE status END) FROM incident WHERE id = ?",
                arguments: [key]
            ).flatMap(IncidentPhase.init(rawValue:))
            detail.vendorTicket = try String.fetchOne(
                db, sql: "SELECT externalRef FROM outboxMessage WHERE incidentId = ? AND externalRef IS NOT NULL ORDER BY createdAt DESC LIMIT 1",
                arguments: [key])
            return detail
        }
    }

    static func attempt(from row: Row) -> DeliveryAttempt {
        var failure: DeliveryFailure?
        if let reasonText: String = row["failureReason"] {
            failure = DeliveryFailure(
                reason: DeliveryFailure.Reason(rawValue: reasonText) ?? .transport,
                status: row["httpStatus"],
                message: row["failureMessage"] ?? ""
            )
        }
        return DeliveryAttempt(
            number: row["number"],
            startedAt: Date(millis: row["startedAt"]),
            durationMilliseconds: row["durationMs"],
            httpStatus: row["httpStatus"],
            failure: failure
        )
    }

    /// Counts of rows per table, for tests and operators.
    public func counts() async throws -> [String: Int] {
        try await pool.read { db in
            var result: [String: Int] = [:]
            for table in [
                "incident", "rawPayload", "workItem", "decision", "outboxMessage", "deliveryAttempt", "slaTimer", "slaClock",
                "incidentEvent", "rejectedPayload", "webhookDelivery",
            ] {
                result[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return result
        }
    }
}

extension SQLiteStore {
    /// Every incident of `source`, oldest first (for tests and the CLI; not paginated).
    public func incidents(source: String) async throws -> [Incident] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM incident WHERE source = ? ORDER BY receivedAt, id", arguments: [source])
                .compactMap { try Self.fetchIncident(db, id: $0) }
        }
    }
}
